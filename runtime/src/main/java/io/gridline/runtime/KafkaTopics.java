package io.gridline.runtime;

import io.gridline.contracts.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Gridline's Kafka topics at start ({@code kafka.partitions}, {@code kafka.replication-factor}) with
 * {@code min.insync.replicas} one below the replication factor (at least 1); a topic that exists is left as it is.
 * Reaches the brokers as every other client does ({@link KafkaClients#adminConfig}). Blocking: call it on a worker
 * thread.
 *
 * <p>The node calls it at start (retrying while Kafka is down); the test kit's verticle fixture calls the same code, so
 * a verticle under test finds the topics the node would have made.
 */
public final class KafkaTopics {
  private static final long TIMEOUT_S = 10;

  private KafkaTopics() {}

  /** @return the topics this call created */
  public static List<String> ensure(GridlineConfig config) {
    int partitions = config.positiveInt("kafka.partitions");
    short replication = (short) config.positiveInt("kafka.replication-factor");
    Map<String, Object> props = new HashMap<>(KafkaClients.adminConfig(config, "gridline-topics-" + config.nodeId()));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S) / 2);
    Map<String, String> topicConfig = Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
        Integer.toString(minInsyncReplicas(replication)));
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> wanted = Topics.ALL.stream()
          .map(t -> new NewTopic(t, partitions, replication).configs(topicConfig)).toList();
      var results = admin.createTopics(wanted).values();
      List<String> created = new java.util.ArrayList<>();
      for (var e : results.entrySet()) {
        try {
          e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
          created.add(e.getKey());
        } catch (ExecutionException err) {
          if (!(err.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("creating Kafka topic " + e.getKey() + " on "
                + config.string(Store.KAFKA.urlKey()) + " (kafka.bootstrap-servers) failed: " + why(err.getCause()),
                err.getCause());
          }
        }
      }
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating Kafka topics", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Kafka at " + config.string(Store.KAFKA.urlKey())
          + " (kafka.bootstrap-servers) did not answer in " + TIMEOUT_S + " s", e);
    }
  }

  /**
   * The client's message and its cause's: "SSL handshake failed" alone does not say that the CA file is the wrong
   * one; its cause does ("PKIX path validation failed: … signature check failed").
   */
  private static String why(Throwable failure) {
    Throwable cause = failure.getCause();
    return cause == null || cause.getMessage() == null ? failure.getMessage()
        : failure.getMessage() + " (" + cause.getMessage() + ")";
  }

  /**
   * With acks=all (docs/architecture.md §1) a write is acknowledged once this many replicas hold it. One below the
   * replication factor
   * means an acknowledged record survives the loss of a broker, and the topic stays writable while one broker is down
   * (3 → 2). Kafka's default of 1 acknowledges a record that only the leader has.
   */
  public static int minInsyncReplicas(int replicationFactor) {
    return Math.max(1, replicationFactor - 1);
  }
}
