package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTrustTest {
  @TempDir
  Path dir;

  @Test
  void aCertificateOfAnotherCaIsRefusedNamingTheServerAndTheCaFile() throws Exception {
    TlsFiles tls = TlsFiles.create(dir);
    ServerTrust trust = new ServerTrust(new PemTrustOptions().addCertPath(tls.otherCa().toString()),
        "PostgreSQL db.internal:5432", "sslrootcert " + tls.otherCa());
    Vertx vertx = Vertx.vertx();
    try {
      X509TrustManager manager = (X509TrustManager) trust.getTrustManagerFactory(vertx).getTrustManagers()[0];
      X509Certificate server = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
          new ByteArrayInputStream(Files.readString(tls.serverCert()).getBytes(StandardCharsets.US_ASCII)));
      CertificateException e = assertThrows(CertificateException.class,
          () -> manager.checkServerTrusted(new X509Certificate[] {server}, "ECDHE_ECDSA"));
      assertTrue(e.getMessage().startsWith("TLS to PostgreSQL db.internal:5432 refused: its certificate (CN=localhost"),
          e.getMessage());
      assertTrue(e.getMessage().contains("is not signed by a CA of sslrootcert " + tls.otherCa()), e.getMessage());
    } finally {
      vertx.close();
    }
  }
}
