package io.gridline.sink;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaJsonCodec;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.testkit.TestStores;
import io.gridline.testkit.VerticleFixture;
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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The kit's verticle fixture for the sink on a private Kafka broker (the consumer group's offsets belong to one test),
 * with both schemas migrated and the node's config, plus a plain Kafka producer. Blocks the test thread, never Vert.x.
 */
final class SinkFixture extends VerticleFixture<TimescaleSinkVerticle> {
  static final int PARTITIONS = 3;
  final String sinkPgUrl = timeseriesUrl;
  final KafkaProducer<String, byte[]> producer;
  final Admin admin;

  SinkFixture(String pgUrl, String sinkPgUrl) {
    super(setup(TimescaleSinkVerticle.SPEC).database(pgUrl).timeseries(sinkPgUrl).ownKafka()
        .with("kafka.partitions", PARTITIONS)
        .with("pg.pool-size", 4)
        .with("sink.batch-size", 500)
        .with("sink.linger-ms", 20)
        .with("sink.retry-backoff-ms", 50)
        .with("sink.max-retry-backoff-ms", 400));
    Properties p = new Properties();
    p.put("bootstrap.servers", kafkaBootstrap);
    admin = Admin.create(p);
    p.put("acks", "all");
    p.put("linger.ms", "5");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** One fresh database holding both schemas, as on a default node. */
  static SinkFixture sharedDatabase() {
    String url = TestStores.pgUrl();
    return new SinkFixture(url, url);
  }

  void deploy() {
    deploy(config());
  }

  /** {@code --instances timescale-sink=n}: n instances, one Kafka consumer each in the same group. */
  void deployInstances(int n) {
    deployInstances(config(), n);
  }

  void undeploy() {
    undeployAll();
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

  /** Every record parked so far on gridline.telemetry.parked (all its partitions), read from the beginning. */
  List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> parked() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafkaBootstrap);
    List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> out = new java.util.ArrayList<>();
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(p,
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> tps = consumer.partitionsFor(Topics.TELEMETRY_PARKED).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
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
    super.close();
  }
}
