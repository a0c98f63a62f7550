package io.gridline.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * A TLS server certificate signed by Gridline's device CA, generated once into a directory (the data dir) as
 * {@code <name>.crt.pem} / {@code <name>.key.pem} and reused after restarts, like the CA itself
 * ({@link DeviceCertificateAuthority}). For the dev profile ({@code mqtt.tls.generate}): EC P-256, subject alternative
 * names DNS {@code localhost}, the host's name, and IP {@code 127.0.0.1}; a client that trusts the device CA verifies
 * it. The stored pair is generated again when its certificate was not signed by the current CA (the CA was
 * regenerated) or expires within {@link #RENEW_BEFORE}.
 */
public final class GeneratedServerCertificate {
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  /** Where the PEM files are. */
  public record PemFiles(Path certPath, Path keyPath) {}

  private GeneratedServerCertificate() {}

  /** Loads or generates {@code dir}/{@code name}.{crt,key}.pem. Blocking (files, host name lookup, key generation). */
  public static PemFiles loadOrGenerate(Path dir, String name, DeviceCertificateAuthority ca) {
    return loadOrGenerate(dir, name, ca, authority -> authority.issueServer(dnsNames(), List.of("127.0.0.1")));
  }

  /**
   * Loads or generates {@code dir}/{@code name}.{crt,key}.pem with {@code issue} (e.g. a cluster member's certificate,
   * {@link DeviceCertificateAuthority#issueNode}), under the same rules: generated again when not signed by {@code ca} or
   * about to expire. Blocking.
   */
  public static synchronized PemFiles loadOrGenerate(Path dir, String name, DeviceCertificateAuthority ca,
      java.util.function.Function<DeviceCertificateAuthority, DeviceCertificateAuthority.Issued> issue) {
    Path cert = dir.resolve(name + ".crt.pem");
    Path key = dir.resolve(name + ".key.pem");
    if (Files.exists(key) && usable(cert, ca)) {
      return new PemFiles(cert, key);
    }
    DeviceCertificateAuthority.Issued issued = issue.apply(ca);
    try {
      Files.createDirectories(dir);
      // key first, certificate last: a crash in between leaves no usable certificate, so the next start generates again
      DeviceCertificateAuthority.writeAtomically(key, issued.privateKeyPem(), true);
      DeviceCertificateAuthority.writeAtomically(cert, issued.certificatePem() + issued.caPem(), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the server certificate into " + dir, e);
    }
    return new PemFiles(cert, key);
  }

  /** DNS names: localhost and this host's name (when it resolves to something else). */
  static List<String> dnsNames() {
    List<String> names = new ArrayList<>(List.of("localhost"));
    try {
      String host = InetAddress.getLocalHost().getHostName();
      if (!host.isBlank() && !names.contains(host)) {
        names.add(host);
      }
    } catch (UnknownHostException e) {
      // no resolvable host name: localhost and 127.0.0.1 only
    }
    return names;
  }

  /** The stored certificate exists, was signed by {@code ca}, and is valid beyond {@link #RENEW_BEFORE}. */
  private static boolean usable(Path cert, DeviceCertificateAuthority ca) {
    if (!Files.exists(cert)) {
      return false;
    }
    try {
      if (!(DeviceCertificateAuthority.parse(Files.readString(cert)) instanceof X509CertificateHolder h)) {
        return false;
      }
      X509Certificate c = new JcaX509CertificateConverter().getCertificate(h);
      c.verify(ca.caCertificate().getPublicKey());
      c.checkValidity(Date.from(Instant.now().plus(RENEW_BEFORE)));
      return true;
    } catch (IOException | GeneralSecurityException e) {
      return false;
    }
  }
}
