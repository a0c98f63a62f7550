package io.gridline.sink;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaJsonCodec;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.devservices.EmbeddedKafka;
import io.gridline.runtime.PgUrl;
import io.gridline.sql.Migrations;
import io.gridline.testkit.TestStores;
import io.gridline.testkit.Waits;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A private Kafka broker (the consumer group's offsets belong to one test), a migrated database, a plain Kafka
 * producer, and the sink deployed with the flat config the node would hand it. Blocks the test thread, never Vert.x.
 */
final class SinkFixture implements AutoCloseable {
  static final int PARTITIONS = 3;
  final Vertx vertx = Vertx.vertx();
  final EmbeddedKafka kafka = TestStores.ownKafka();
  final String pgUrl;
  final String sinkPgUrl;
  final KafkaProducer<String, byte[]> producer;
  final Admin admin;
  private String deployment;

  SinkFixture(String pgUrl, String sinkPgUrl) {
    this.pgUrl = pgUrl;
    this.sinkPgUrl = sinkPgUrl;
    migrate(pgUrl, Migrations::migrate);
    migrate(sinkPgUrl, Migrations::migrateTimeseries);
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    admin = Admin.create(p);
    try {
      admin.createTopics(List.of(new NewTopic(Topics.TELEMETRY_DECODED, PARTITIONS, (short) 1),
          new NewTopic(Topics.TELEMETRY_PARKED, 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    p.put("acks", "all");
    p.put("linger.ms", "5");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** One fresh database holding both schemas, as on a default node. */
  static SinkFixture sharedDatabase() {
    String url = TestStores.pgUrl();
    return new SinkFixture(url, url);
  }

  private interface Migration {
    int apply(String jdbcUrl, String user, String password);
  }

  private static void migrate(String url, Migration m) {
    PgUrl pg = PgUrl.parse(url);
    m.apply(pg.jdbcUrl(), pg.user(), pg.password());
  }

  JsonObject config() {
    return new JsonObject()
        .put("node.id", "test-node")
        .put("kafka.bootstrap-servers", kafka.bootstrapServers())
        .put("pg.url", pgUrl)
        .put("pg.pool-size", 4)
        .put("sink.pg-url", sinkPgUrl)
        .put("sink.batch-size", 500)
        .put("sink.linger-ms", 20)
        .put("sink.retention", "")
        .put("sink.retry-backoff-ms", 50)
        .put("sink.max-retry-backoff-ms", 400);
  }

  void deploy() {
    deploy(config());
  }

  void deploy(JsonObject config) {
    deployment = Waits.await(vertx.deployVerticle(new TimescaleSinkVerticle(),
        new DeploymentOptions().setConfig(config)));
  }

  /** {@code --instances timescale-sink=n}: n instances, one Kafka consumer each in the same group. */
  void deployInstances(int n) {
    deployment = Waits.await(vertx.deployVerticle(TimescaleSinkVerticle::new,
        new DeploymentOptions().setConfig(config()).setInstances(n)));
  }

  void undeploy() {
    Waits.await(vertx.undeploy(deployment));
    deployment = null;
  }

  // ---- Kafka

  void send(DecodedTelemetry t) {
    sendRaw(String.valueOf(t.deviceId()), KafkaCodecs.DECODED_TELEMETRY.encode(t).getBytes());
  }

  void sendRaw(String key, byte[] value) {
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.TELEMETRY_DECODED, key, value);
    r.headers().add(KafkaJsonCodec.SCHEMA_HEADER, "1".getBytes(StandardCharsets.UTF_8));
    producer.send(r);
  }

  void flush() {
    producer.flush();
  }

  /** Offsets the sink's consumer group committed, summed over the partitions. */
  long committedRecords() {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets("gridline.timescale-sink").partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every record parked so far on gridline.telemetry.parked, read from the beginning. */
  List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> parked() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> out = new java.util.ArrayList<>();
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(p,
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(Topics.TELEMETRY_PARKED, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  // ---- PostgreSQL (plain JDBC: independent of the code under test)

  long count(String sql) {
    return count(sinkPgUrl, sql);
  }

  static long count(String url, String sql) {
    try (Connection c = DriverManager.getConnection(TestStores.pgJdbcUrl(url)); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(TestStores.pgJdbcUrl(url)); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
    Waits.await(vertx.close());
    kafka.close();
  }
}
