package io.gridline.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.runtime.DeviceCertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code webhooks.tls.trust-path}: the PEM file's CAs are trusted in addition to the JDK trust store, not instead. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSenderTrustTest {
  private Vertx vertx;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static X509TrustManager x509(TrustManagerFactory factory) {
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  @Test
  void emptyMeansTheJdkTrustStoreOnly() throws Exception {
    assertNull(WebhookSender.trustOptions(vertx, ""));
    assertNull(WebhookSender.trustOptions(vertx, null));
  }

  @Test
  void thePemFilesCasAreTrustedAlongsideTheJdkOnes(@TempDir Path dir) throws Exception {
    DeviceCertificateAuthority ca = DeviceCertificateAuthority.loadOrGenerate(dir);
    Path pem = Files.writeString(dir.resolve("extra.pem"), ca.caPem());
    TrustOptions trust = WebhookSender.trustOptions(vertx, pem.toString());

    X509Certificate[] trusted = x509(trust.getTrustManagerFactory(vertx)).getAcceptedIssuers();
    TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    List<X509Certificate> jdkCas = List.of(x509(jdk).getAcceptedIssuers());
    assertTrue(jdkCas.size() > 0, "the JDK trust store has CAs");
    assertEquals(jdkCas.size() + 1, trusted.length);
    assertTrue(List.of(trusted).containsAll(jdkCas));
    assertTrue(List.of(trusted).contains(ca.caCertificate()));

    // a server certificate of the private CA passes the chain check
    DeviceCertificateAuthority.Issued server = ca.issueServer(List.of("localhost"), List.of("127.0.0.1"));
    X509Certificate leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(server.certificatePem().getBytes()));
    x509(trust.getTrustManagerFactory(vertx)).checkServerTrusted(new X509Certificate[] {leaf}, "ECDHE_ECDSA");
  }

  @Test
  void aFileWithoutCertificatesOrMissingFailsAtStart(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
    assertThrows(IllegalArgumentException.class, () -> WebhookSender.trustOptions(vertx, empty.toString()));
    assertThrows(IllegalArgumentException.class,
        () -> WebhookSender.trustOptions(vertx, dir.resolve("missing.pem").toString()));
  }
}
