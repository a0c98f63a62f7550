package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.runtime.config.DeclaredKeys;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientsTest {
  @TempDir
  Path dir;

  private static JsonObject base() {
    return DeclaredKeys.bundled().defaults().put("node.id", "n1")
        .put("kafka.bootstrap-servers", "kafka1:9093,kafka2:9093");
  }

  private static List<Map<String, String>> everyClient(JsonObject json) {
    GridlineConfig config = GridlineConfig.of(json);
    return List.of(KafkaClients.producerConfig(config, "v"), KafkaClients.consumerConfig(config, "v"),
        KafkaClients.adminConfig(config, "admin"));
  }

  @Test
  void withoutSecuritySettingsEveryClientSpeaksPlaintext() {
    for (Map<String, String> c : everyClient(base())) {
      assertEquals("PLAINTEXT", c.get("security.protocol"));
      assertEquals("kafka1:9093,kafka2:9093", c.get("bootstrap.servers"));
      assertFalse(c.keySet().stream().anyMatch(k -> k.startsWith("ssl.") || k.startsWith("sasl.")), c.toString());
    }
  }

  @Test
  void sslGivesEveryClientThePemCaTheClientKeyAndHostNameVerification() {
    TlsFiles tls = TlsFiles.create(dir);
    JsonObject json = base().put("kafka.security-protocol", "SSL")
        .put("kafka.ssl.trust-path", tls.ca().toString())
        .put("kafka.ssl.cert-path", tls.clientCert().toString())
        .put("kafka.ssl.key-path", tls.clientKey().toString());
    for (Map<String, String> c : everyClient(json)) {
      assertEquals("SSL", c.get("security.protocol"));
      assertEquals("https", c.get("ssl.endpoint.identification.algorithm"));
      assertEquals("PEM", c.get("ssl.truststore.type"));
      assertEquals(tls.ca().toString(), c.get("ssl.truststore.location"));
      assertEquals("PEM", c.get("ssl.keystore.type"));
      assertTrue(c.get("ssl.keystore.certificate.chain").startsWith("-----BEGIN CERTIFICATE-----"));
      assertTrue(c.get("ssl.keystore.key").startsWith("-----BEGIN PRIVATE KEY-----"));
      assertFalse(c.containsKey("sasl.jaas.config"));
    }
  }

  @Test
  void saslSslBuildsTheJaasConfigOfTheMechanismWithQuotesEscaped() {
    JsonObject json = base().put("kafka.security-protocol", "SASL_SSL").put("kafka.sasl.mechanism", "SCRAM-SHA-512")
        .put("kafka.sasl.username", "gridline").put("kafka.sasl.password", "pa\"ss\\word");
    for (Map<String, String> c : everyClient(json)) {
      assertEquals("SASL_SSL", c.get("security.protocol"));
      assertEquals("SCRAM-SHA-512", c.get("sasl.mechanism"));
      assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gridline\" "
          + "password=\"pa\\\"ss\\\\word\";", c.get("sasl.jaas.config"));
      assertEquals("https", c.get("ssl.endpoint.identification.algorithm"));
    }
    Map<String, String> plain = KafkaClients.adminConfig(GridlineConfig.of(json.copy()
        .put("kafka.security-protocol", "SASL_PLAINTEXT").put("kafka.sasl.mechanism", "PLAIN")), "a");
    assertTrue(plain.get("sasl.jaas.config").startsWith("org.apache.kafka.common.security.plain.PlainLoginModule"));
    assertFalse(plain.containsKey("ssl.endpoint.identification.algorithm"));
  }

  @Test
  void settingsThatWouldBeIgnoredOrCannotWorkAreRefusedNamingTheKeyButNeverThePassword() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Map<JsonObject, String> refused = Map.of(
        base().put("kafka.security-protocol", "TLS"), "kafka.security-protocol",
        base().put("kafka.ssl.trust-path", ca.toString()), "kafka.ssl.trust-path",
        base().put("kafka.sasl.password", "hunter2"), "kafka.sasl.password",
        base().put("kafka.security-protocol", "SASL_SSL").put("kafka.sasl.username", "u"), "kafka.sasl.password",
        base().put("kafka.security-protocol", "SASL_SSL").put("kafka.sasl.username", "u")
            .put("kafka.sasl.password", "hunter2").put("kafka.sasl.mechanism", "GSSAPI"), "kafka.sasl.mechanism",
        base().put("kafka.security-protocol", "SSL").put("kafka.ssl.cert-path", ca.toString()), "kafka.ssl.key-path",
        base().put("kafka.security-protocol", "SSL").put("kafka.ssl.trust-path", dir.resolve("none.pem").toString()),
        "kafka.ssl.trust-path");
    refused.forEach((json, key) -> {
      InvalidSetting e = assertThrows(InvalidSetting.class,
          () -> KafkaClients.requireValidSecurity(GridlineConfig.of(json)), json.encode());
      assertEquals(key, e.key(), e.getMessage());
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
      assertThrows(InvalidSetting.class, () -> KafkaClients.producerConfig(GridlineConfig.of(json), "v"));
    });
  }
}
