package io.gridline.processor;

import io.gridline.contracts.Topics;
import io.gridline.runtime.PgUrl;
import io.gridline.testkit.VerticleFixture;
import io.gridline.testkit.Waits;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The kit's verticle fixture for the processor (real stores, a migrated fresh database, the topics with
 * {@value #PARTITIONS} partitions each, the node's config), plus a plain producer for raw records and a plain consumer
 * collecting every output record.
 */
final class ProcessorFixture extends VerticleFixture<StreamProcessorVerticle> {
  static final int PARTITIONS = 3;
  static final long EVENT_INTERVAL_MS = 1_500;
  private static final SecureRandom RANDOM = new SecureRandom();

  final String kafka = kafkaBootstrap;
  final Pool db;
  final KafkaProducer<String, byte[]> producer;
  final List<ConsumerRecord<String, byte[]>> outputs = new CopyOnWriteArrayList<>();
  private final Thread collector;
  private volatile boolean closing;

  ProcessorFixture() {
    super(setup(StreamProcessorVerticle.SPEC)
        // few partitions: the output collector reads every one of them
        .with("kafka.partitions", PARTITIONS)
        .with("processor.max-in-flight", 50)
        .with("processor.events-per-device-interval-ms", EVENT_INTERVAL_MS)
        .with("processor.commit-interval-ms", 200));
    db = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(PgUrl.parse(pgUrl).connectOptions())
        .using(vertx).build();
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("acks", "all");
    p.put("linger.ms", "0");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    KafkaConsumer<String, byte[]> outputs = outputConsumer();
    collector = new Thread(() -> collect(outputs), "test-output-collector");
    collector.setDaemon(true);
    collector.start();
  }

  void deploy() {
    deploy(config());
  }

  /** The offset the processor's consumer group committed on the record's partition (-1 when none). */
  long committedOffset(RecordMetadata where) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
      var offsets = admin.listConsumerGroupOffsets("gridline.stream-processor").partitionsToOffsetAndMetadata()
          .get(20, TimeUnit.SECONDS);
      var committed = offsets.get(new TopicPartition(where.topic(), where.partition()));
      return committed == null ? -1 : committed.offset();
    } catch (Exception e) {
      throw new AssertionError("cannot read the group's offsets", e);
    }
  }

  void undeploy() {
    undeployAll();
  }

  // ---- registry

  static String randomMac() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.ofDelimiter(":").formatHex(b);
  }

  UUID tenant() {
    UUID id = UUID.randomUUID();
    Waits.await(db.preparedQuery("INSERT INTO tenants (id, name, max_devices) VALUES ($1, 'test', 1000)")
        .execute(Tuple.of(id)));
    return id;
  }

  /** A registered mqtt device: its registry id. */
  long device(UUID tenant, String mac, JsonObject metadata) {
    RowSet<Row> rows = Waits.await(db.preparedQuery("INSERT INTO devices (tenant_id, kind, external_id, metadata) "
        + "VALUES ($1, 'mqtt', $2, $3) RETURNING id").execute(Tuple.of(tenant, mac, metadata)));
    return rows.iterator().next().getInteger("id");
  }

  // ---- raw input

  static String topic(String mac, int mode, int sensor) {
    return "stat/f2-" + mac.replace(":", "") + "/sensor-mode/" + mode + "/sensor-" + sensor;
  }

  static byte[] payload(Object timestamp, String hex) {
    return new JsonObject().put("timestamp", timestamp).put("data", hex).encode().getBytes(StandardCharsets.UTF_8);
  }

  /** Produces a RawTelemetry record as the bridge would (key = MAC); returns where it landed. */
  RecordMetadata publish(String mac, String topic, byte[] payload) {
    JsonObject raw = new JsonObject().put("tenantId", UUID.randomUUID().toString()).put("deviceId", 0).put("mac", mac)
        .put("topic", topic).put("clientId", "f2-" + mac.replace(":", "")).put("qos", 1)
        .put("payload", java.util.Base64.getEncoder().encodeToString(payload))
        .put("receivedAt", io.gridline.codecs.Rfc3339.format(System.currentTimeMillis()));
    try {
      return producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW, mac, raw.toBuffer().getBytes()))
          .get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("produce failed", e);
    }
  }

  // ---- outputs

  List<JsonObject> values(String topic, Predicate<JsonObject> match) {
    List<JsonObject> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : outputs) {
      if (r.topic().equals(topic)) {
        JsonObject j = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
        if (match.test(j)) {
          out.add(j);
        }
      }
    }
    return out;
  }

  /** Waits until at least {@code count} values on {@code topic} match; returns them. */
  List<JsonObject> await(String topic, Predicate<JsonObject> match, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<JsonObject> found = values(topic, match);
      if (found.size() >= count) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " records on " + topic + ", got " + found.size() + ": " + found);
      }
      Waits.sleep(50);
    }
  }

  List<ConsumerRecord<String, byte[]>> records(String topic) {
    return outputs.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  /**
   * A consumer positioned at the current end of the output topics: device ids restart in each test's fresh database, so
   * earlier test classes' outputs (same broker, same topics) must not be seen.
   */
  private KafkaConsumer<String, byte[]> outputConsumer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("enable.auto.commit", "false");
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> tps = new ArrayList<>();
    for (String t : List.of(Topics.TELEMETRY_DECODED, Topics.TELEMETRY_DLQ, Topics.EVENTS, Topics.TELEMETRY_PARKED)) {
      for (int i = 0; i < PARTITIONS; i++) {
        tps.add(new TopicPartition(t, i));
      }
    }
    c.assign(tps);
    c.seekToEnd(tps);
    tps.forEach(c::position); // resolve the lazy seek now, before the test produces anything
    return c;
  }

  private void collect(KafkaConsumer<String, byte[]> consumer) {
    try (KafkaConsumer<String, byte[]> c = consumer) {
      while (!closing) {
        c.poll(Duration.ofMillis(100)).forEach(outputs::add);
      }
    }
  }

  @Override
  public void close() {
    undeployAll();
    closing = true;
    try {
      collector.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
    Waits.await(db.close());
    super.close();
  }
}
