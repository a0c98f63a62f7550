package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratedServerCertificateTest {

  @Test
  void generatedOnceSignedByTheCaAndReusedUntilTheCaChanges() throws Exception {
    Path dir = Files.createTempDirectory("gridline-server-cert-test-");
    DeviceCertificateAuthority ca = DeviceCertificateAuthority.loadOrGenerate(dir);
    GeneratedServerCertificate.PemFiles files = GeneratedServerCertificate.loadOrGenerate(dir, "mqtt-server", ca);
    assertEquals(dir.resolve("mqtt-server.crt.pem"), files.certPath());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.keyPath())));
    String pem = Files.readString(files.certPath());
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    cert.verify(ca.caCertificate().getPublicKey());
    assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
    List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    assertTrue(names.containsAll(List.of("localhost", "127.0.0.1")), names.toString());
    assertTrue(pem.endsWith(ca.caPem()), "the chain ends with the CA");

    GeneratedServerCertificate.loadOrGenerate(dir, "mqtt-server", DeviceCertificateAuthority.loadOrGenerate(dir));
    assertEquals(pem, Files.readString(files.certPath()), "reused after a restart");

    DeviceCertificateAuthority other = DeviceCertificateAuthority.loadOrGenerate(
        Files.createTempDirectory("gridline-other-ca-"));
    GeneratedServerCertificate.loadOrGenerate(dir, "mqtt-server", other);
    assertNotEquals(pem, Files.readString(files.certPath()), "a certificate of another CA is generated again");
  }
}
