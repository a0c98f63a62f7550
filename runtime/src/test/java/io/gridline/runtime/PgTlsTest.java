package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.devservices.EmbeddedPg;
import io.gridline.runtime.config.DeclaredKeys;
import io.gridline.sql.Migrations;
import io.gridline.testkit.Waits;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sslmode} and friends in {@code pg.url} against a real PostgreSQL serving a certificate of Gridline's CA. The
 * server listens on 127.0.0.1 (named by its certificate) and 127.0.0.2 (not named). Database {@code tls_only} accepts
 * only TLS connections, {@code mtls} only TLS connections presenting a client certificate of the CA.
 */
class PgTlsTest {
  @TempDir
  static Path dir;
  static TlsFiles tls;
  static EmbeddedPg pg;
  static Vertx vertx;

  @BeforeAll
  static void startServer() throws Exception {
    tls = TlsFiles.create(dir);
    Path hba = dir.resolve("pg_hba.conf");
    Files.writeString(hba, String.join("\n",
        "local all all trust",
        "hostssl tls_only all 127.0.0.0/8 trust",
        "hostssl mtls all 127.0.0.0/8 trust clientcert=verify-ca",
        "host tls_only,mtls all 0.0.0.0/0 reject",
        "host all all 127.0.0.0/8 trust", ""));
    pg = EmbeddedPg.start(dir.resolve("pg"), 0, false, Map.of(
        "listen_addresses", "127.0.0.1,127.0.0.2",
        "ssl", "on",
        "ssl_cert_file", tls.serverCert().toString(),
        "ssl_key_file", tls.serverKey().toString(),
        "ssl_ca_file", tls.ca().toString(),
        "hba_file", hba.toString()));
    pg.createDatabaseIfMissing("tls_only");
    pg.createDatabaseIfMissing("mtls");
    pg.createDatabaseIfMissing("migrated");
    pg.createDatabaseIfMissing("mtls_migrated");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopServer() {
    if (vertx != null) {
      Waits.await(vertx.close());
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static String url(String host, String database, String query) {
    return "postgresql://postgres@" + host + ":" + pg.port() + "/" + database + "?" + query;
  }

  private static String verifyFull(String host, String database) {
    return url(host, database, "sslmode=verify-full&sslrootcert=" + tls.ca());
  }

  private static GridlineConfig config(String key, String url) {
    return GridlineConfig.of(DeclaredKeys.bundled().defaults().put("node.id", "test").put(key, url));
  }

  /** True when the pool's connection is encrypted (pg_stat_ssl of its own backend). */
  private static boolean overTls(String key, String url) {
    Pool pool = StoreClients.pg(vertx, config(key, url), key, "tls-test");
    try {
      return Waits.await(pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute())
          .iterator().next().getBoolean(0);
    } finally {
      Waits.await(pool.close());
    }
  }

  private static Throwable poolFailure(String url) {
    Pool pool = StoreClients.pg(vertx, config("pg.url", url));
    try {
      return assertThrows(Exception.class, () -> Waits.await(pool.query("SELECT 1").execute()));
    } finally {
      Waits.await(pool.close());
    }
  }

  private static int migrate(String url) {
    PgUrl pgUrl = PgUrl.parse(url);
    return Migrations.migrate(pgUrl.jdbcUrl(), pgUrl.user(), pgUrl.password());
  }

  private static String chain(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      s.append(c).append(" | ");
    }
    return s.toString();
  }

  @Test
  void verifyFullPoolsOfPgUrlAndSinkPgUrlQueryOverTls() {
    assertTrue(overTls("pg.url", verifyFull("127.0.0.1", "tls_only")));
    assertTrue(overTls("sink.pg-url", verifyFull("127.0.0.1", "tls_only")));
  }

  @Test
  void verifyFullMigrationsRunOverTls() {
    assertTrue(migrate(verifyFull("127.0.0.1", "tls_only")) > 0);
  }

  @Test
  void clientCertificateFromSslcertAndSslkeyIsPresentedByPoolAndMigrations() {
    String url = url("127.0.0.1", "mtls", "sslmode=verify-full&sslrootcert=" + tls.ca() + "&sslcert=" + tls.clientCert()
        + "&sslkey=" + tls.clientKey());
    assertTrue(overTls("pg.url", url));
    String migrated = url.replace("/mtls?", "/mtls_migrated?");
    // mtls_migrated is not restricted by pg_hba: prove the key reaches pgjdbc by the migrations' own success
    assertTrue(migrate(migrated) > 0);
    assertTrue(migrate(url) > 0);
  }

  @Test
  void aServerCertificateOfAnotherCaIsRefusedByPoolAndMigrations() {
    String url = url("127.0.0.1", "tls_only", "sslmode=verify-full&sslrootcert=" + tls.otherCa());
    poolFailure(url);
    RuntimeException migrations = assertThrows(RuntimeException.class, () -> migrate(url));
    assertTrue(chain(migrations).contains("PKIX") || chain(migrations).contains("certification path"), chain(migrations));
  }

  @Test
  void verifyFullRefusesAHostTheCertificateDoesNotNameAndVerifyCaAcceptsIt() {
    poolFailure(verifyFull("127.0.0.2", "tls_only"));
    RuntimeException migrations = assertThrows(RuntimeException.class, () -> migrate(verifyFull("127.0.0.2", "migrated")));
    assertTrue(chain(migrations).contains("127.0.0.2"), chain(migrations));

    String verifyCa = url("127.0.0.2", "tls_only", "sslmode=verify-ca&sslrootcert=" + tls.ca());
    assertTrue(overTls("pg.url", verifyCa));
  }

  @Test
  void requireEncryptsWithoutAuthenticatingTheServer() {
    assertTrue(overTls("pg.url", url("127.0.0.2", "tls_only", "sslmode=require")));
    assertEquals(false, overTls("pg.url", "postgresql://postgres@127.0.0.1:" + pg.port() + "/postgres"));
  }
}
