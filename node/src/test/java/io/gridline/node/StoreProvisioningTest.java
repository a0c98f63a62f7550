package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridline.runtime.Store;
import io.gridline.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store security settings that cannot work stop the node before any store is started or reached. */
class StoreProvisioningTest {
  @TempDir
  Path dir;

  private String refusal(JsonObject config, Store store) {
    return assertThrows(InvalidConfigException.class,
        () -> StoreProvisioning.provision(config, Set.of(store), dir).close()).getMessage();
  }

  @Test
  void kafkaSecurityForTheEmbeddedBrokerIsRefusedNamingTheKey() {
    assertEquals("invalid value for kafka.security-protocol (env GRIDLINE_KAFKA_SECURITY_PROTOCOL): SASL_SSL needs "
        + "kafka.bootstrap-servers: the embedded broker speaks PLAINTEXT only",
        refusal(TestConfig.defaults().put("kafka.security-protocol", "SASL_SSL").put("kafka.sasl.username", "u")
            .put("kafka.sasl.password", "p"), Store.KAFKA));
  }

  @Test
  void incompleteKafkaSaslSettingsAreRefusedBeforeConnecting() {
    assertEquals("invalid value for kafka.sasl.password (env GRIDLINE_KAFKA_SASL_PASSWORD): must be set with "
        + "kafka.security-protocol SASL_SSL",
        refusal(TestConfig.defaults().put("kafka.bootstrap-servers", "kafka1:9093")
            .put("kafka.security-protocol", "SASL_SSL").put("kafka.sasl.username", "u"), Store.KAFKA));
  }

  @Test
  void redisTlsSettingsWithoutARedissUrlAreRefused() {
    assertEquals("invalid value for redis.tls.trust-path (env GRIDLINE_REDIS_TLS_TRUST_PATH): TLS settings need a "
        + "rediss:// redis.url",
        refusal(TestConfig.defaults().put("redis.url", "redis://cache:6379").put("redis.tls.trust-path", "/ca.pem"),
            Store.REDIS));
  }

  @Test
  void aPgUrlWithAPasswordThatBreaksParsingIsRefusedWithoutShowingIt() {
    String message = refusal(TestConfig.defaults().put("pg.url", "postgresql://gridline:s3cr^t@db:5432/gridline"),
        Store.POSTGRES);
    assertEquals("invalid value for pg.url (env GRIDLINE_PG_URL): not a postgresql:// URI: Illegal character in "
        + "authority at index 13", message);
  }
}
