package io.gridline.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * PEM files for a store TLS test, issued by Gridline's own CA: the CA, a server certificate naming {@code localhost}
 * and {@code 127.0.0.1} (not 127.0.0.2, so a test can reach the same server under a name the certificate lacks), a
 * client certificate, and the CA of another installation that must not be trusted. Keys are mode 0600 (PostgreSQL
 * and redis-server refuse others).
 */
record TlsFiles(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey, Path otherCa) {

  static TlsFiles create(Path dir) {
    try {
      DeviceCertificateAuthority ca = DeviceCertificateAuthority.loadOrGenerate(dir.resolve("ca"));
      DeviceCertificateAuthority other = DeviceCertificateAuthority.loadOrGenerate(dir.resolve("other-ca"));
      DeviceCertificateAuthority.Issued server = ca.issueServer(List.of("localhost"), List.of("127.0.0.1"));
      DeviceCertificateAuthority.Issued client = ca.issue("postgres");
      TlsFiles files = new TlsFiles(dir.resolve("ca.pem"), dir.resolve("server.crt.pem"), dir.resolve("server.key.pem"),
          dir.resolve("client.crt.pem"), dir.resolve("client.key.pem"), dir.resolve("other-ca.pem"));
      Files.writeString(files.ca(), ca.caPem());
      Files.writeString(files.otherCa(), other.caPem());
      Files.writeString(files.serverCert(), server.certificatePem());
      DeviceCertificateAuthority.writeAtomically(files.serverKey(), server.privateKeyPem(), true);
      Files.writeString(files.clientCert(), client.certificatePem());
      DeviceCertificateAuthority.writeAtomically(files.clientKey(), client.privateKeyPem(), true);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
