package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.devservices.EmbeddedKafka;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.KafkaTopics;
import io.gridline.testkit.TestConfig;
import io.gridline.testkit.Waits;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gridline's Kafka clients (topic admin, producer, consumer) against a real broker's SSL listener, which demands a
 * client certificate, and its SASL_SSL listener with PLAIN; the broker's certificate is issued by Gridline's CA for
 * 127.0.0.1. Each test starts from a broker without Gridline's topics, so each creates them over its own listener.
 */
class KafkaSecurityTest {
  // a quote and a backslash: the JAAS config must escape them on both sides
  static final String PASSWORD = "s3cret\"pa\\ss";

  @TempDir
  static Path dir;
  static EmbeddedKafka kafka;
  static Vertx vertx;
  static Path ca;
  static Path otherCa;
  static Path clientCert;
  static Path clientKey;

  @BeforeAll
  static void startBroker() throws Exception {
    DeviceCertificateAuthority authority = DeviceCertificateAuthority.loadOrGenerate(dir.resolve("ca"));
    DeviceCertificateAuthority.Issued server = authority.issueServer(List.of("localhost"), List.of("127.0.0.1"));
    DeviceCertificateAuthority.Issued client = authority.issue("gridline-node");
    ca = Files.writeString(dir.resolve("ca.pem"), authority.caPem());
    otherCa = Files.writeString(dir.resolve("other-ca.pem"),
        DeviceCertificateAuthority.loadOrGenerate(dir.resolve("other")).caPem());
    clientCert = Files.writeString(dir.resolve("client.crt.pem"), client.certificatePem());
    clientKey = Files.writeString(dir.resolve("client.key.pem"), client.privateKeyPem());
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), new EmbeddedKafka.SecureListeners(
        server.certificatePem() + server.caPem(), server.privateKeyPem(), authority.caPem(),
        Map.of("gridline", PASSWORD)));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopBroker() {
    if (vertx != null) {
      Waits.await(vertx.close());
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  /** Over the broker's PLAINTEXT listener: the test's own view, never Gridline's clients under test. */
  private static Admin plainAdmin() {
    return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
  }

  @BeforeEach
  void withoutGridlineTopics() throws Exception {
    try (Admin admin = plainAdmin()) {
      Set<String> existing = new HashSet<>(admin.listTopics().names().get(10, TimeUnit.SECONDS));
      existing.retainAll(Topics.ALL);
      admin.deleteTopics(existing).all().get(10, TimeUnit.SECONDS);
      Waits.until("Gridline's topics deleted", 10_000, () -> {
        try {
          return admin.listTopics().names().get(10, TimeUnit.SECONDS).stream().noneMatch(Topics.ALL::contains);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }
  }

  private static JsonObject ssl() {
    return TestConfig.defaults().put("node.id", "tls-test").put("kafka.partitions", 1)
        .put("kafka.replication-factor", 1)
        .put("kafka.bootstrap-servers", kafka.sslBootstrapServers()).put("kafka.security-protocol", "SSL")
        .put("kafka.ssl.trust-path", ca.toString())
        .put("kafka.ssl.cert-path", clientCert.toString()).put("kafka.ssl.key-path", clientKey.toString());
  }

  private static JsonObject saslSsl(String password) {
    return TestConfig.defaults().put("node.id", "tls-test").put("kafka.partitions", 1)
        .put("kafka.replication-factor", 1)
        .put("kafka.bootstrap-servers", kafka.saslSslBootstrapServers()).put("kafka.security-protocol", "SASL_SSL")
        .put("kafka.ssl.trust-path", ca.toString())
        .put("kafka.sasl.mechanism", "PLAIN").put("kafka.sasl.username", "gridline").put("kafka.sasl.password", password);
  }

  /** Creates the topics, produces one record and consumes it back, all through Gridline's clients. */
  private static void createProduceConsume(JsonObject json, String verticle) {
    GridlineConfig config = GridlineConfig.of(json);
    assertEquals(new HashSet<>(Topics.ALL), new HashSet<>(KafkaTopics.ensure(config)));

    KafkaProducer<String, Buffer> producer = Waits.await(vertx.executeBlocking(
        () -> KafkaClients.producer(vertx, config, verticle)));
    KafkaConsumer<String, Buffer> consumer = Waits.await(vertx.executeBlocking(
        () -> KafkaClients.consumer(vertx, config, verticle)));
    try {
      Waits.await(producer.send(KafkaProducerRecord.create(Topics.TELEMETRY_RAW, "aa:bb:cc:dd:ee:ff",
          Buffer.buffer("{\"over\":\"" + json.getString("kafka.security-protocol") + "\"}"))));
      Promise<String> received = Promise.promise();
      consumer.handler(r -> received.tryComplete(r.value().toString()));
      Waits.await(consumer.subscribe(Topics.TELEMETRY_RAW));
      assertEquals("{\"over\":\"" + json.getString("kafka.security-protocol") + "\"}", Waits.await(received.future()));
    } finally {
      Waits.await(consumer.close());
      Waits.await(producer.close());
    }
  }

  @Test
  void overSslWithAClientCertificateTopicsAreCreatedAndRecordsFlow() {
    createProduceConsume(ssl(), "tls-ssl");
  }

  @Test
  void overSaslSslWithPlainTopicsAreCreatedAndRecordsFlow() {
    createProduceConsume(saslSsl(PASSWORD), "tls-sasl");
  }

  @Test
  void aWrongPasswordIsRefusedAndNotRepeatedInTheError() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KafkaTopics.ensure(GridlineConfig.of(saslSsl("not-the-password"))));
    assertTrue(e.getMessage().contains("Authentication failed"), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
  }

  @Test
  void withoutItsClientCertificateTheSslListenerRefuses() {
    JsonObject noCertificate = ssl();
    noCertificate.put("kafka.ssl.cert-path", "").put("kafka.ssl.key-path", ""); // unset, as in the declared file
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KafkaTopics.ensure(GridlineConfig.of(noCertificate)));
    assertInstanceOf(SslAuthenticationException.class, e.getCause(), e.getMessage());
  }

  @Test
  void aBrokerCertificateOfAnotherCaIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KafkaTopics.ensure(GridlineConfig.of(ssl().put("kafka.ssl.trust-path", otherCa.toString()))));
    assertInstanceOf(SslAuthenticationException.class, e.getCause(), e.getMessage());
    assertTrue(e.getMessage().contains("PKIX path validation failed"), e.getMessage());
  }

  @Test
  void createdTopicsRequireAllButOneReplicaInSync() throws Exception {
    KafkaTopics.ensure(GridlineConfig.of(saslSsl(PASSWORD)));
    try (Admin admin = plainAdmin()) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TELEMETRY_RAW);
      Config config = admin.describeConfigs(List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic);
      ConfigEntry minIsr = config.get("min.insync.replicas");
      // set on the topic by Gridline, not inherited from the broker (whose default is 1 as well)
      assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, minIsr.source());
      assertEquals("1", minIsr.value());
    }
    assertEquals(2, KafkaTopics.minInsyncReplicas(3));
    assertEquals(1, KafkaTopics.minInsyncReplicas(2));
    assertEquals(1, KafkaTopics.minInsyncReplicas(1));
  }
}
