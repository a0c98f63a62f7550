package io.gridline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.StoreClients;
import io.gridline.runtime.WebhookTargets;
import io.gridline.runtime.config.DeclaredKeys;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestConfigTest {

  @Test
  void theDefaultsHoldEveryDeclaredKeyWithItsDeclaredValue() {
    JsonObject defaults = TestConfig.defaults();
    for (DeclaredKeys.Key key : DeclaredKeys.bundled().all()) {
      assertTrue(defaults.containsKey(key.name()), key.name());
    }
    assertEquals(TestConfig.NODE_ID, defaults.getString("node.id"));
    assertEquals(8080, defaults.getInteger("api.port"));
    assertEquals("PT10S", defaults.getString("mqtt.connect-timeout"));
    assertEquals(3, TestConfig.with(new JsonObject().put("kafka.partitions", 3)).getInteger("kafka.partitions"));
  }

  @Test
  void aReaderWithADefaultOfItsOwnFailsTheCheck() {
    JsonObject complete = TestConfig.defaults();
    List<String> keys = List.of("processor.max-attempts", "processor.max-in-flight");
    TestConfig.requireEveryKey(complete, keys, c -> c.positiveInt("processor.max-attempts")
        + c.positiveInt("processor.max-in-flight"));
    AssertionError hidden = assertThrows(AssertionError.class, () -> TestConfig.requireEveryKey(complete, keys,
        c -> (c.has("processor.max-attempts") ? c.positiveInt("processor.max-attempts") : 10)
            + c.positiveInt("processor.max-in-flight")));
    assertTrue(hidden.getMessage().contains("processor.max-attempts"), hidden.getMessage());
  }

  /** The runtime's readers of the node's keys: the Kafka and store clients, the SSRF guard, the device CA. */
  @Test
  void theRuntimeReadersTakeEveryKeyFromTheConfig() {
    JsonObject complete = TestConfig.defaults().put("kafka.bootstrap-servers", "kafka:9092")
        .put("pg.url", "postgresql://gridline@db/gridline").put("redis.url", "redis://cache:6379");
    TestConfig.requireEveryKey(complete, List.of("kafka.bootstrap-servers", "kafka.security-protocol",
        "kafka.ssl.trust-path", "kafka.ssl.cert-path", "kafka.ssl.key-path", "kafka.sasl.username",
        "kafka.sasl.password", "kafka.producer-linger-ms", "kafka.fetch-max-wait-ms", "node.id"), c -> List.of(
            KafkaClients.producerConfig(c, "v"), KafkaClients.consumerConfig(c, "v")));
    TestConfig.requireEveryKey(complete.copy().put("kafka.security-protocol", "SASL_PLAINTEXT")
        .put("kafka.sasl.username", "u").put("kafka.sasl.password", "p"), List.of("kafka.sasl.mechanism"),
        c -> KafkaClients.adminConfig(c, "a"));
    TestConfig.requireEveryKey(complete, List.of("redis.url", "redis.tls.trust-path", "redis.tls.cert-path",
        "redis.tls.key-path"), c -> {
          StoreClients.requireValidRedisTls(c);
          return StoreClients.redisOptions(c);
        });
    TestConfig.requireEveryKey(complete, List.of(WebhookTargets.ALLOW_HTTP, WebhookTargets.ALLOW_PRIVATE),
        WebhookTargets::fromConfig);
    TestConfig.requireEveryKey(complete.copy().put(DeviceCertificateAuthority.GENERATE, true),
        List.of(DeviceCertificateAuthority.CERT_PATH, DeviceCertificateAuthority.GENERATE, "devservices.data-dir"),
        DeviceCertificateAuthority::certPath);
  }
}
