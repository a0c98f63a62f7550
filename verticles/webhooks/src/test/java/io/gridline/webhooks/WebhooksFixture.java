package io.gridline.webhooks;

import io.gridline.codecs.Codecs;
import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaJsonCodec;
import io.gridline.contracts.Topics;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.runtime.SecretBox;
import io.gridline.testkit.TestStores;
import io.gridline.testkit.VerticleFixture;
import io.gridline.testkit.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The kit's verticle fixture for webhooks on a private Kafka broker (a migrated database, the topics, the node's config
 * with fast retries), plus a plain Kafka producer and receivers on their own Vert.x. Blocks the test thread, never
 * Vert.x.
 */
final class WebhooksFixture extends VerticleFixture<WebhooksVerticle> {
  static final int PARTITIONS = 3;
  final Vertx receivers = Vertx.vertx();
  final String key;
  final SecretBox box;
  final KafkaProducer<String, byte[]> producer;
  final Admin admin;

  /** On a fresh database of the shared test PostgreSQL. */
  WebhooksFixture() {
    this(TestStores.pgUrl());
  }

  /** On the database at {@code pgUrl} (e.g. a private PostgreSQL that the test stops and starts). */
  WebhooksFixture(String pgUrl) {
    this(pgUrl, SecretBox.generateKey());
  }

  private WebhooksFixture(String pgUrl, String key) {
    super(setup(WebhooksVerticle.SPEC).database(pgUrl).ownKafka()
        .with("kafka.partitions", PARTITIONS)
        .with("pg.pool-size", 6)
        .with("secrets.encryption-key", key)
        .with("webhooks.allow-http", true)
        .with("webhooks.allow-private-targets", true)
        .with("webhooks.timeout-ms", 1000)
        .with("webhooks.dns-timeout-ms", 1000)
        .with("webhooks.backoff-base", "PT0.05S")
        .with("webhooks.backoff-max", "PT0.2S")
        .with("webhooks.max-age", "PT1H")
        .with("webhooks.poll-interval-ms", 50)
        .with("webhooks.circuit-failure-threshold", 50)
        .with("webhooks.circuit-open-ms", 1000));
    this.key = key;
    this.box = SecretBox.fromBase64(key);
    Codecs.registerAll(vertx);
    Properties p = new Properties();
    p.put("bootstrap.servers", kafkaBootstrap);
    admin = Admin.create(p);
    p.put("acks", "all");
    p.put("linger.ms", "1");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  void undeploy() {
    undeployAll();
  }

  // ---- Kafka

  DeviceEvent event(UUID tenant, String type, long deviceId) {
    return event(tenant, type, deviceId, System.currentTimeMillis());
  }

  DeviceEvent event(UUID tenant, String type, long deviceId, long occurredAt) {
    return new DeviceEvent(UUID.randomUUID().toString(), type, tenant.toString(), deviceId, "mqtt", occurredAt,
        new JsonObject().put("n", 1));
  }

  void send(DeviceEvent e) {
    sendRaw(String.valueOf(e.deviceId()), KafkaCodecs.DEVICE_EVENT.encode(e).getBytes());
  }

  void sendRaw(String key, byte[] value) {
    producer.send(record(key, value));
    producer.flush();
  }

  /** The events on one key, sent back to back (so they most likely arrive in one poll). */
  void sendAll(String key, List<byte[]> values) {
    values.forEach(v -> producer.send(record(key, v)));
    producer.flush();
  }

  private static ProducerRecord<String, byte[]> record(String key, byte[] value) {
    ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.EVENTS, key, value);
    r.headers().add(KafkaJsonCodec.SCHEMA_HEADER, "1".getBytes(StandardCharsets.UTF_8));
    return r;
  }

  /** Everything on {@code gridline.events.parked} so far (all its partitions), read from the beginning. */
  List<ConsumerRecord<String, byte[]>> parked() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafkaBootstrap);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> tps = c.partitionsFor(Topics.EVENTS_PARKED).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /**
   * How far group {@code gridline.webhooks} is behind on {@code gridline.events}: the end offsets minus the committed
   * ones, over all partitions (0 once everything read is committed).
   */
  long uncommitted() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin
          .listConsumerGroupOffsets("gridline.webhooks").partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int i = 0; i < PARTITIONS; i++) {
        latest.put(new TopicPartition(Topics.EVENTS, i), OffsetSpec.latest());
      }
      long behind = 0;
      for (var e : admin.listOffsets(latest).all().get(20, TimeUnit.SECONDS).entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        behind += e.getValue().offset() - (c == null ? 0 : c.offset());
      }
      return behind;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- PostgreSQL (plain JDBC, independent of the code under test)

  UUID tenant() {
    UUID id = UUID.randomUUID();
    execute("INSERT INTO tenants (id, name, max_devices) VALUES ('" + id + "', 't', 100)");
    return id;
  }

  UUID subscribe(UUID tenant, String url, String secret, String... eventTypes) {
    return subscribeWith(tenant, url, secret, null, null, "{}", eventTypes);
  }

  /** As the API stores one: the secrets sealed with the subscription id as associated data. */
  UUID subscribeWith(UUID tenant, String url, String secret, String previous, Timestamp previousUntil, String headers,
      String... eventTypes) {
    UUID id = UUID.randomUUID();
    byte[] aad = id.toString().getBytes(StandardCharsets.UTF_8);
    try (Connection c = connect(); PreparedStatement st = c.prepareStatement("INSERT INTO webhook_subscriptions "
        + "(id, tenant_id, url, event_types, headers, secret, previous_secret, previous_secret_until) "
        + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
      st.setObject(1, id);
      st.setObject(2, tenant);
      st.setString(3, url);
      st.setArray(4, c.createArrayOf("text", eventTypes));
      st.setString(5, headers);
      st.setBytes(6, box.seal(secret.getBytes(StandardCharsets.UTF_8), aad));
      st.setBytes(7, previous == null ? null : box.seal(previous.getBytes(StandardCharsets.UTF_8), aad));
      st.setTimestamp(8, previousUntil);
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return id;
  }

  /**
   * As the api stores custom headers since V7: sealed with {@code sealedFor}'s id as associated data (the subscription's
   * own, unless a test copies another's ciphertext), the plaintext column left {@code {}}.
   */
  void sealHeaders(UUID subscription, String headersJson, UUID sealedFor) {
    try (Connection c = connect(); PreparedStatement st = c.prepareStatement(
        "UPDATE webhook_subscriptions SET headers = '{}', headers_sealed = ? WHERE id = ?")) {
      st.setBytes(1, box.seal(headersJson.getBytes(StandardCharsets.UTF_8),
          sealedFor.toString().getBytes(StandardCharsets.UTF_8)));
      st.setObject(2, subscription);
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  long count(String sql) {
    try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  String text(String sql) {
    try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  void execute(String sql) {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(TestStores.pgJdbcUrl(pgUrl));
  }

  @Override
  public void close() {
    undeployAll();
    producer.close();
    admin.close();
    super.close();
    Waits.await(receivers.close());
  }
}
