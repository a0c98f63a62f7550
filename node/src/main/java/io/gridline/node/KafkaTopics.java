package io.gridline.node;

import io.gridline.contracts.Topics;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.Store;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Gridline's Kafka topics at start ({@code kafka.partitions}, {@code kafka.replication-factor}); a topic that
 * exists is left as it is. Blocking: call it on a worker thread.
 */
final class KafkaTopics {
  private static final long TIMEOUT_S = 10;

  private KafkaTopics() {}

  /** @return the topics this call created */
  static List<String> ensure(GridlineConfig config) {
    int partitions = config.integer("kafka.partitions");
    short replication = (short) config.integer("kafka.replication-factor");
    Map<String, Object> props = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.string(Store.KAFKA.urlKey()),
        AdminClientConfig.CLIENT_ID_CONFIG, "gridline-topics-" + config.nodeId(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S) / 2);
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> wanted = Topics.ALL.stream().map(t -> new NewTopic(t, partitions, replication)).toList();
      var results = admin.createTopics(wanted).values();
      List<String> created = new java.util.ArrayList<>();
      for (var e : results.entrySet()) {
        try {
          e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
          created.add(e.getKey());
        } catch (ExecutionException err) {
          if (!(err.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("creating Kafka topic " + e.getKey() + " on "
                + config.string(Store.KAFKA.urlKey()) + " (kafka.bootstrap-servers) failed: " + err.getCause().getMessage(),
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
}
