package io.gridline.mqtt;

import io.gridline.runtime.PgUrl;
import io.gridline.runtime.Tokens;
import io.gridline.testkit.VerticleFixture;
import io.gridline.testkit.Waits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The kit's verticle fixture for the bridge (a migrated fresh database, real Redis and Kafka, the topics, the node's
 * config) with a tenant, listeners on port 0 and limits a test run does not hit; plus devices and their credentials.
 * Calls block the test thread until the answer arrives.
 */
final class BridgeFixture extends VerticleFixture<MqttBridgeVerticle> {
  final Pool db;
  final UUID tenantId = UUID.randomUUID();

  BridgeFixture() {
    super(setup(MqttBridgeVerticle.SPEC)
        .with("pg.pool-size", 4)
        .with("mqtt.host", "127.0.0.1")
        .with("mqtt.port", 0)
        .with("mqtt.tls-port", 0)
        .with("mqtt.max-connections", 100)
        .with("mqtt.max-payload-bytes", 1024)
        .with("mqtt.max-publish-rate", 1000)
        // every test device connects from 127.0.0.1
        .with("mqtt.connect-rate-per-address", 1000));
    db = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(PgUrl.parse(pgUrl).connectOptions())
        .using(vertx).build();
    await(db.preparedQuery("INSERT INTO tenants (id, name, max_devices) VALUES ($1, 'test', 100)")
        .execute(Tuple.of(tenantId)));
  }

  /** The config with another broker (a private one the test stops); the node's topics are made there on deploy. */
  JsonObject config(String kafkaBootstrap) {
    return config().put("kafka.bootstrap-servers", kafkaBootstrap);
  }

  /** Deploys like {@link #deploy} and returns the deployment id (to undeploy that one instance). */
  String deployId(JsonObject config) {
    return deployInstances(config, 1);
  }

  /** A registered mqtt device with a random MAC. */
  Device device() {
    return device(tenantId);
  }

  /** Another tenant, for what one tenant must not reach of another's. */
  UUID tenant() {
    UUID id = UUID.randomUUID();
    await(db.preparedQuery("INSERT INTO tenants (id, name, max_devices) VALUES ($1, 'other', 100)")
        .execute(Tuple.of(id)));
    return id;
  }

  /** A registered mqtt device of {@code tenant} with a random MAC. */
  Device device(UUID tenant) {
    byte[] b = new byte[6];
    ThreadLocalRandom.current().nextBytes(b);
    StringBuilder mac = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      mac.append(i == 0 ? "" : ":").append(String.format("%02x", b[i]));
    }
    long id = await(db.preparedQuery("INSERT INTO devices (tenant_id, kind, external_id, name) "
            + "VALUES ($1, 'mqtt', $2, 'controller') RETURNING id")
        .execute(Tuple.of(tenant, mac.toString()))).iterator().next().getLong(0);
    return new Device(id, mac.toString());
  }

  /** Issues (or rotates) the device's secret the way the api stores it. */
  String issueSecret(Device device) {
    String secret = Tokens.generate(Tokens.DEVICE_SECRET_PREFIX);
    await(db.preparedQuery("INSERT INTO device_credentials (device_id, secret_hash) VALUES ($1, $2) "
            + "ON CONFLICT (device_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, rotated_at = now()")
        .execute(Tuple.of(device.id(), io.vertx.core.buffer.Buffer.buffer(Tokens.hash(secret)))));
    return secret;
  }

  /**
   * Issues a certificate for the device from {@code ca} and records it the way the api does ({@code device_certificates},
   * bound to the device row): the bridge accepts only recorded certificates.
   */
  io.gridline.runtime.DeviceCertificateAuthority.Issued issueCertificate(Device device,
      io.gridline.runtime.DeviceCertificateAuthority ca) {
    var issued = ca.issue(device.clientId());
    await(db.preparedQuery("INSERT INTO device_certificates (serial, device_id, tenant_id, subject, not_after) "
            + "SELECT $2, id, tenant_id, $3, $4 FROM devices WHERE id = $1")
        .execute(Tuple.of(device.id(), issued.serial(), device.clientId(),
            java.time.OffsetDateTime.ofInstant(issued.notAfter(), java.time.ZoneOffset.UTC))));
    return issued;
  }

  /** A device of another tenant with the given MAC (registered after the first one was deleted, say). */
  Device deviceOfAnotherTenant(String mac) {
    UUID other = UUID.randomUUID();
    await(db.preparedQuery("INSERT INTO tenants (id, name, max_devices) VALUES ($1, 'other', 100)")
        .execute(Tuple.of(other)));
    long id = await(db.preparedQuery("INSERT INTO devices (tenant_id, kind, external_id, name) "
            + "VALUES ($1, 'mqtt', $2, 'controller') RETURNING id")
        .execute(Tuple.of(other, mac))).iterator().next().getLong(0);
    return new Device(id, mac);
  }

  record Device(long id, String mac) {
    String clientId() {
      return "f2-" + mac.replace(":", "");
    }

    String statTopic() {
      return "stat/" + clientId() + "/sensor-mode/1/sensor-1";
    }
  }

  /** Upstream mode: null while the link is up, else why readiness says it is down. */
  String upstreamProblem() {
    try {
      var result = io.gridline.runtime.Readiness.of(vertx).checks().checkStatus(UpstreamLink.CHECK)
          .await(5, TimeUnit.SECONDS);
      return result.getStatus().isOk() ? null : String.valueOf(result.getStatus().getData());
    } catch (Exception e) {
      return String.valueOf(e.getMessage());
    }
  }

  /** Until the upstream link is connected and subscribed: readiness reports it once connected, SUBACK follows. */
  void awaitUpstreamLink() {
    if (!eventually(Duration.ofSeconds(10), this::upstreamProblem, java.util.Objects::isNull)) {
      throw new AssertionError("the upstream link never connected: " + upstreamProblem());
    }
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Row row(String sql, Object... params) {
    var rows = await(db.preparedQuery(sql).execute(Tuple.wrap(params)));
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  @Override
  public void close() {
    undeployAll();
    await(db.close());
    super.close();
  }

  static <T> T await(Future<T> future) {
    return Waits.await(future);
  }

  // ---- Kafka

  /** Reads {@code topic} from the beginning until {@code count} records with this key arrive (or the time is up). */
  static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String topic, String key, int count,
      Duration within) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("enable.auto.commit", "false");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      long deadline = System.nanoTime() + within.toNanos();
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (out.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(r.key())) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }

  private static boolean metered;

  /**
   * A counter's value in Micrometer's global registry, where the bridge counts outside a node. A simple registry is
   * added the first time (without one the global registry keeps nothing), so read it once before what is counted.
   */
  static synchronized double counted(String name, String tag, String value) {
    if (!metered) {
      io.micrometer.core.instrument.Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
      metered = true;
    }
    var counter = io.micrometer.core.instrument.Metrics.globalRegistry.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  static <T> boolean eventually(Duration within, java.util.function.Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.test(probe.get())) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
