package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.runtime.config.DeclaredKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceCertificateAuthorityTest {

  private static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void generatedOnceIntoTheDataDirAndReusedAfterwards() throws Exception {
    Path dir = Files.createTempDirectory("gridline-ca-test-");
    DeviceCertificateAuthority first = DeviceCertificateAuthority.loadOrGenerate(dir);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve("device-ca.key.pem"))));
    DeviceCertificateAuthority again = DeviceCertificateAuthority.loadOrGenerate(dir);
    assertEquals(first.caPem(), again.caPem());
    X509Certificate ca = certificate(first.caPem());
    assertEquals(0, ca.getBasicConstraints()); // a CA that signs end entities only

    // a certificate issued after the reload verifies against the first instance's CA certificate
    X509Certificate cert = certificate(again.issue("f2-aabbccddee01").certificatePem());
    cert.verify(ca.getPublicKey());
    assertEquals("CN=f2-aabbccddee01", cert.getSubjectX500Principal().getName());
  }

  @Test
  void fromConfigPrefersConfiguredPathsThenGeneratesThenNothing() throws Exception {
    Path dir = Files.createTempDirectory("gridline-ca-test-");
    DeviceCertificateAuthority generated = DeviceCertificateAuthority.loadOrGenerate(dir);
    GridlineConfig configured = GridlineConfig.of(DeclaredKeys.bundled().defaults()
        .put(DeviceCertificateAuthority.CERT_PATH, dir.resolve("device-ca.crt.pem").toString())
        .put(DeviceCertificateAuthority.KEY_PATH, dir.resolve("device-ca.key.pem").toString()));
    assertEquals(generated.caPem(), DeviceCertificateAuthority.fromConfig(configured).orElseThrow().caPem());
    assertEquals(Optional.of(dir.resolve("device-ca.crt.pem")), DeviceCertificateAuthority.certPath(configured));

    Path dataDir = Files.createTempDirectory("gridline-ca-test-data-");
    GridlineConfig generating = GridlineConfig.of(DeclaredKeys.bundled().defaults()
        .put(DeviceCertificateAuthority.GENERATE, true)
        .put("devservices.data-dir", dataDir.toString()));
    assertTrue(DeviceCertificateAuthority.fromConfig(generating).isPresent());
    assertTrue(Files.exists(dataDir.resolve("device-ca.crt.pem")));

    GridlineConfig none = GridlineConfig.of(DeclaredKeys.bundled().defaults()
        .put(DeviceCertificateAuthority.GENERATE, false)
        .put(DeviceCertificateAuthority.CERT_PATH, ""));
    assertEquals(Optional.empty(), DeviceCertificateAuthority.fromConfig(none));
    assertEquals(Optional.empty(), DeviceCertificateAuthority.certPath(none));

    // the certificate alone (an edge node that only verifies devices): no CA that can issue, and no error
    GridlineConfig certOnly = GridlineConfig.of(DeclaredKeys.bundled().defaults()
        .put(DeviceCertificateAuthority.CERT_PATH, dir.resolve("device-ca.crt.pem").toString()));
    assertEquals(Optional.empty(), DeviceCertificateAuthority.fromConfig(certOnly));
    assertEquals(Optional.of(dir.resolve("device-ca.crt.pem")), DeviceCertificateAuthority.certPath(certOnly));
    GridlineConfig keyOnly = GridlineConfig.of(DeclaredKeys.bundled().defaults()
        .put(DeviceCertificateAuthority.KEY_PATH, dir.resolve("device-ca.key.pem").toString()));
    assertThrows(IllegalArgumentException.class, () -> DeviceCertificateAuthority.fromConfig(keyOnly));
  }
}
