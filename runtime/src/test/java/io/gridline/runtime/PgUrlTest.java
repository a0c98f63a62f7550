package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgUrlTest {
  @TempDir
  Path dir;

  @Test
  void aMalformedUrlIsRefusedWithoutPrintingItsPassword() {
    for (String url : List.of(
        "postgresql://gridline:s3cr^t@db.internal:5432/gridline",      // illegal character
        "postgresql://gridline:s3cr/t@db.internal:5432/gridline",      // unencoded '/' ends the authority early
        "postgresql://gridline:s3cr%zzt@db.internal:5432/gridline",    // broken %-escape
        "postgresql://gridline:s3cr t@db.internal:5432/gridline",      // space
        "postgresql://gridline@db.internal:5432/gridline?password=s3cr")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgUrl.parse(url), url);
      assertFalse(e.getMessage().contains("s3cr"), e.getMessage());
    }
  }

  @Test
  void withoutSslmodeTheLinkIsPlainAsBefore() {
    PgUrl url = PgUrl.parse("postgresql://gridline:pw@db.internal:6432/gl");
    assertEquals(SslMode.DISABLE, url.connectOptions().getSslMode());
    assertEquals("jdbc:postgresql://db.internal:6432/gl?sslmode=disable", url.jdbcUrl());
    assertEquals("postgresql://gridline:***@db.internal:6432/gl", url.display());
  }

  @Test
  void verifyFullGivesBothClientsTheCaAndHostNameVerification() {
    PgUrl url = PgUrl.parse("postgresql://gridline:pw@db.internal/gl?sslmode=verify-full&sslrootcert=/etc/gl/ca.pem");
    PgConnectOptions o = url.connectOptions();
    assertEquals(SslMode.VERIFY_FULL, o.getSslMode());
    assertEquals("HTTPS", o.getSslOptions().getHostnameVerificationAlgorithm());
    assertFalse(o.getSslOptions().isTrustAll());
    assertInstanceOf(ServerTrust.class, o.getSslOptions().getTrustOptions());
    assertEquals("jdbc:postgresql://db.internal:5432/gl?sslmode=verify-full&sslrootcert=%2Fetc%2Fgl%2Fca.pem",
        url.jdbcUrl());
    assertEquals("postgresql://gridline:***@db.internal:5432/gl?sslmode=verify-full&sslrootcert=/etc/gl/ca.pem",
        url.display());
  }

  @Test
  void verifyCaChecksTheChainButNotTheHostName() {
    PgConnectOptions o = PgUrl.parse("postgresql://db/gl?sslmode=verify-ca&sslrootcert=/ca.pem").connectOptions();
    assertEquals(SslMode.VERIFY_CA, o.getSslMode());
    assertEquals("", o.getSslOptions().getHostnameVerificationAlgorithm());
  }

  @Test
  void requireWithARootCertificateVerifiesTheChainAsLibpqDoes() {
    PgUrl url = PgUrl.parse("postgresql://db/gl?sslmode=require&sslrootcert=/ca.pem");
    assertEquals(SslMode.VERIFY_CA, url.connectOptions().getSslMode());
    assertTrue(url.jdbcUrl().contains("sslmode=verify-ca"));
    PgUrl plain = PgUrl.parse("postgresql://db/gl?sslmode=require");
    assertEquals(SslMode.REQUIRE, plain.connectOptions().getSslMode());
    assertTrue(plain.connectOptions().getSslOptions().isTrustAll());
  }

  @Test
  void verifyFullWithoutRootCertificateTrustsTheJdkStoreInBothClients() {
    PgUrl url = PgUrl.parse("postgresql://db/gl?sslmode=verify-full");
    assertInstanceOf(ServerTrust.class, url.connectOptions().getSslOptions().getTrustOptions());
    assertTrue(url.jdbcUrl().endsWith("sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory"),
        url.jdbcUrl());
  }

  @Test
  void aClientKeyOfGridlinesCaReachesPgjdbcAsAnEcKey() {
    TlsFiles tls = TlsFiles.create(dir);
    PgUrl url = PgUrl.parse("postgresql://db/gl?sslmode=verify-full&sslrootcert=" + tls.ca() + "&sslcert="
        + tls.clientCert() + "&sslkey=" + tls.clientKey());
    url.requireReadableFiles();
    PemKeyCertOptions key = (PemKeyCertOptions) url.connectOptions().getSslOptions().getKeyCertOptions();
    assertEquals(List.of(tls.clientCert().toString()), key.getCertPaths());
    assertEquals(List.of(tls.clientKey().toString()), key.getKeyPaths());
    assertTrue(url.jdbcUrl().endsWith("&pemKeyAlgorithm=EC"), url.jdbcUrl());
  }

  @Test
  void misspeltOrUnsupportedParametersAreRefusedSoTheLinkNeverSilentlyStaysPlain() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> PgUrl.parse("postgresql://db/gl?sslmod=verify-full")).getMessage().contains("'sslmod'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> PgUrl.parse("postgresql://db/gl?sslmode=verify-fll")).getMessage().contains("verify-full"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> PgUrl.parse("postgresql://db/gl?sslrootcert=/ca.pem")).getMessage().contains("sslmode"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> PgUrl.parse("postgresql://db/gl?sslmode=require&sslcert=/c.pem")).getMessage().contains("sslkey"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> PgUrl.parse("postgresql://db/gl?sslmode=verify-full&sslcert=/c.pem&sslkey=/k.pem")).getMessage()
        .contains("sslrootcert"));
  }

  @Test
  void aMissingCaFileIsNamedAtStart() {
    PgUrl url = PgUrl.parse("postgresql://db/gl?sslmode=verify-full&sslrootcert=" + dir.resolve("nope.pem"));
    assertTrue(assertThrows(IllegalArgumentException.class, url::requireReadableFiles).getMessage()
        .startsWith("sslrootcert "));
  }

  @Test
  void percentEscapesDecodeAndPlusStaysPlus() {
    PgUrl url = PgUrl.parse("postgresql://grid%40line:a+b%2Fc@db/gl");
    assertEquals("grid@line", url.user());
    assertEquals("a+b/c", url.password());
    assertNull(url.tls().rootCert());
  }
}
