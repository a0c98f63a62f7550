package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.runtime.config.DeclaredKeys;
import io.gridline.testkit.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rediss://} against private TLS-only redis-servers: one open to any TLS client, one demanding a client certificate. */
class RedisTlsTest {
  @TempDir
  static Path dir;
  static TlsFiles tls;
  static TlsRedisServer open;
  static TlsRedisServer mutual;
  static Vertx vertx;

  @BeforeAll
  static void startServers() {
    tls = TlsFiles.create(dir);
    open = TlsRedisServer.start(dir, tls, false);
    mutual = TlsRedisServer.start(dir, tls, true);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopServers() {
    if (vertx != null) {
      Waits.await(vertx.close());
    }
    if (open != null) {
      open.close();
    }
    if (mutual != null) {
      mutual.close();
    }
  }

  private static JsonObject config(String url) {
    return DeclaredKeys.bundled().defaults().put("node.id", "test").put("redis.url", url);
  }

  private static String ping(JsonObject config) {
    Redis redis = StoreClients.redis(vertx, GridlineConfig.of(config));
    try {
      return Waits.await(redis.send(Request.cmd(Command.PING))).toString();
    } finally {
      redis.close();
    }
  }

  @Test
  void redissTrustingTheConfiguredCaAnswersPing() {
    assertEquals("PONG", ping(config(open.url("127.0.0.1")).put("redis.tls.trust-path", tls.ca().toString())));
    assertEquals("PONG", ping(config(open.url("localhost")).put("redis.tls.trust-path", tls.ca().toString())));
  }

  private static String chain(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      s.append(c.getMessage()).append(" | ");
    }
    return s.toString();
  }

  @Test
  void aServerCertificateOfAnotherCaIsRefusedSayingSo() {
    String why = chain(assertThrows(Exception.class,
        () -> ping(config(open.url("127.0.0.1")).put("redis.tls.trust-path", tls.otherCa().toString()))));
    assertTrue(why.contains("TLS to Redis 127.0.0.1:" + open.port() + " refused: its certificate (CN=localhost,O=Gridline)"
        + " is not signed by a CA of redis.tls.trust-path " + tls.otherCa()), why);
  }

  @Test
  void withoutTrustPathOnlyTheJdkTrustStoreIsTrusted() {
    String why = chain(assertThrows(Exception.class, () -> ping(config(open.url("127.0.0.1")))));
    assertTrue(why.contains("is not signed by a CA of the JDK trust store"), why);
  }

  @Test
  void aHostTheCertificateDoesNotNameIsRefused() {
    String why = chain(assertThrows(Exception.class,
        () -> ping(config(open.url("127.0.0.2")).put("redis.tls.trust-path", tls.ca().toString()))));
    assertTrue(why.contains("does not name the host it was reached at"), why);
  }

  @Test
  void theClientCertificateOfCertPathAndKeyPathIsPresented() {
    JsonObject trusted = config(mutual.url("127.0.0.1")).put("redis.tls.trust-path", tls.ca().toString());
    assertThrows(Exception.class, () -> ping(trusted));
    assertEquals("PONG", ping(trusted.copy().put("redis.tls.cert-path", tls.clientCert().toString())
        .put("redis.tls.key-path", tls.clientKey().toString())));
  }

  @Test
  void tlsSettingsWithAPlainUrlOrAKeyWithoutItsCertificateAreRefusedAtStart() {
    InvalidSetting plain = assertThrows(InvalidSetting.class, () -> StoreClients.requireValidRedisTls(GridlineConfig.of(
        config("redis://127.0.0.1:6379").put("redis.tls.trust-path", tls.ca().toString()))));
    assertEquals("redis.tls.trust-path", plain.key());
    InvalidSetting half = assertThrows(InvalidSetting.class, () -> StoreClients.requireValidRedisTls(GridlineConfig.of(
        config(open.url("127.0.0.1")).put("redis.tls.key-path", tls.clientKey().toString()))));
    assertEquals("redis.tls.cert-path", half.key());
    assertTrue(half.getMessage().startsWith("invalid value for redis.tls.cert-path (env GRIDLINE_REDIS_TLS_CERT_PATH)"));
  }
}
