package io.gridline.runtime;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * Gridline's device CA (certificates Gridline issues itself for MQTT mTLS, docs/architecture.md §7): issues MQTT client
 * certificates whose subject CN
 * is the device's client id ({@code f2-<mac>}), which mqtt-bridge accepts over mTLS instead of a password. Keys are
 * EC P-256. The CA is either configured ({@code mqtt.device-ca.cert-path} / {@code key-path}) or, with
 * {@code mqtt.device-ca.generate=true} (dev profile), generated once into {@code devservices.data-dir} as
 * {@code device-ca.crt.pem} / {@code device-ca.key.pem} and reused after restarts.
 */
public final class DeviceCertificateAuthority {
  public static final String CERT_PATH = "mqtt.device-ca.cert-path";
  public static final String KEY_PATH = "mqtt.device-ca.key-path";
  public static final String GENERATE = "mqtt.device-ca.generate";
  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Device certificates: a little over a year, the longest browsers accept; plenty for a first rotation story. */
  static final Duration DEVICE_VALIDITY = Duration.ofDays(397);
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A freshly issued device certificate, its private key (PKCS#8) and the CA certificate, all PEM; its serial
   * (lower-case
   * hex, as recorded in {@code device_certificates}) and the end of its validity.
   */
  public record Issued(String certificatePem, String privateKeyPem, String caPem, String serial, Instant notAfter) {}

  /** A certificate's serial as Gridline records it: lower-case hex without leading zeros. */
  public static String serialOf(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }

  private final X509Certificate caCert;
  private final PrivateKey caKey;
  private final String caPem;

  private DeviceCertificateAuthority(X509Certificate caCert, PrivateKey caKey) {
    this.caCert = caCert;
    this.caKey = caKey;
    this.caPem = pem(caCert);
  }

  /**
   * Where the CA certificate is: the configured path, the data dir's when generating, else empty. Pure: it neither
   * reads nor writes the files ({@link #fromConfig} does).
   */
  public static Optional<Path> certPath(GridlineConfig config) {
    Optional<String> configured = config.optString(CERT_PATH);
    if (configured.isPresent()) {
      return configured.map(Path::of);
    }
    return generates(config) ? Optional.of(dataDir(config).resolve("device-ca.crt.pem")) : Optional.empty();
  }

  /**
   * The CA that can issue: the configured certificate and key, the data dir's (generated the first time) when
   * {@code generate} is on, else empty — also when only the certificate is configured: a node that only verifies
   * devices (mqtt-bridge on an edge node) needs the CA certificate, never its key. Blocking.
   */
  public static Optional<DeviceCertificateAuthority> fromConfig(GridlineConfig config) {
    Optional<String> cert = config.optString(CERT_PATH);
    Optional<String> key = config.optString(KEY_PATH);
    if (key.isPresent() && cert.isEmpty()) {
      throw new IllegalArgumentException(KEY_PATH + " is set without " + CERT_PATH);
    }
    if (cert.isPresent()) {
      return key.map(k -> load(Path.of(cert.get()), Path.of(k)));
    }
    return generates(config) ? Optional.of(loadOrGenerate(dataDir(config))) : Optional.empty();
  }

  /** Whether this node generates the CA into the data dir ({@code mqtt.device-ca.generate} and no configured CA). */
  public static boolean generates(GridlineConfig config) {
    return config.optString(CERT_PATH).isEmpty() && config.bool(GENERATE);
  }

  /** {@code devservices.data-dir}, where generated CA and certificate files live. */
  public static Path dataDir(GridlineConfig config) {
    return Path.of(config.string("devservices.data-dir"));
  }

  public static DeviceCertificateAuthority load(Path certPath, Path keyPath) {
    try {
      Object cert = parse(Files.readString(certPath));
      Object key = parse(Files.readString(keyPath));
      if (!(cert instanceof X509CertificateHolder holder)) {
        throw new IllegalArgumentException(certPath + " holds no PEM certificate");
      }
      return new DeviceCertificateAuthority(new JcaX509CertificateConverter().getCertificate(holder), privateKey(key,
          keyPath));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the device CA", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid device CA certificate " + certPath, e);
    }
  }

  /** Loads {@code dir}/device-ca.{crt,key}.pem, generating them first if absent. One JVM-wide lock: api and bridge. */
  public static DeviceCertificateAuthority loadOrGenerate(Path dir) {
    return loadOrGenerate(dir, "device-ca", "Gridline device CA");
  }

  /**
   * Loads {@code dir}/{@code name}.{crt,key}.pem, generating a CA named {@code commonName} first if absent (the device
   * CA,
   * and the dev profile's cluster CA). Nodes started at once on one data dir agree on one CA: generation holds a file
   * lock ({@code name}.lock) as well as the JVM-wide one.
   */
  public static synchronized DeviceCertificateAuthority loadOrGenerate(Path dir, String name, String commonName) {
    Path cert = dir.resolve(name + ".crt.pem");
    Path key = dir.resolve(name + ".key.pem");
    if (Files.exists(cert) && Files.exists(key)) {
      return load(cert, key);
    }
    try {
      Files.createDirectories(dir);
      try (java.nio.channels.FileChannel lockFile = java.nio.channels.FileChannel.open(dir.resolve(name + ".lock"),
              java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
          java.nio.channels.FileLock held = lockFile.lock()) {
        if (Files.exists(cert) && Files.exists(key)) {
          return load(cert, key); // another process generated it while this one waited
        }
        return generate(cert, key, commonName);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the CA " + name + " into " + dir, e);
    }
  }

  private static DeviceCertificateAuthority generate(Path cert, Path key, String commonName) throws IOException {
    try {
      KeyPair pair = newKeyPair();
      X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Gridline")
          .addRDN(BCStyle.CN, commonName).build();
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate ca = sign(builder, pair.getPrivate());
      // key first, certificate last: a crash in between leaves no certificate, so the next start generates again
      writeAtomically(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
      writeAtomically(cert, pem(ca), false);
      return new DeviceCertificateAuthority(ca, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate the CA " + commonName, e);
    }
  }

  /**
   * A new key pair and a certificate for a cluster member (CN = {@code nodeName}), good for both ends of a TLS
   * connection (serverAuth and clientAuth): each node of the clustered event bus accepts and opens connections.
   */
  public Issued issueNode(String nodeName) {
    return issueLeaf(name(nodeName, true), List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth),
        List.of(), "a node certificate for " + nodeName);
  }

  /** A new key pair and a client certificate for {@code clientId} (CN), signed by this CA. CPU-bound: not on an event loop. */
  public Issued issue(String clientId) {
    return issueLeaf(name(clientId, false), List.of(KeyPurposeId.id_kp_clientAuth), List.of(),
        "a certificate for " + clientId);
  }

  /**
   * A new key pair and a TLS server certificate (EC P-256, CN = the first name) whose subject alternative names are
   * {@code dnsNames} and {@code ipAddresses}, signed by this CA. CPU-bound: not on an event loop.
   */
  public Issued issueServer(List<String> dnsNames, List<String> ipAddresses) {
    if (dnsNames.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one DNS name");
    }
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    return issueLeaf(name(dnsNames.get(0), true), List.of(KeyPurposeId.id_kp_serverAuth), names,
        "a server certificate for " + dnsNames);
  }

  private static X500Name name(String commonName, boolean organisation) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    if (organisation) {
      builder.addRDN(BCStyle.O, "Gridline");
    }
    return builder.addRDN(BCStyle.CN, commonName).build();
  }

  /** One end-entity certificate: a fresh EC P-256 key, {@link #DEVICE_VALIDITY}, the given uses and alternative names. */
  private Issued issueLeaf(X500Name subject, List<KeyPurposeId> uses, List<GeneralName> alternativeNames, String what) {
    try {
      KeyPair pair = newKeyPair();
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(DEVICE_VALIDITY)), toPrincipal(subject),
          pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(uses.toArray(KeyPurposeId[]::new)));
      if (!alternativeNames.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
      }
      builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      return issued(sign(builder, caKey), pair);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue " + what, e);
    }
  }

  public String caPem() {
    return caPem;
  }

  private Issued issued(X509Certificate cert, KeyPair pair) throws IOException {
    return new Issued(pem(cert), pem(new JcaPKCS8Generator(pair.getPrivate(), null)), caPem, serialOf(cert),
        cert.getNotAfter().toInstant());
  }

  public X509Certificate caCertificate() {
    return caCert;
  }

  private static javax.security.auth.x500.X500Principal toPrincipal(X500Name name) throws IOException {
    return new javax.security.auth.x500.X500Principal(name.getEncoded());
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE); // positive, 16 bytes at most (RFC 5280)
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE)
        .build(key)));
  }

  static Object parse(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      return parser.readObject();
    }
  }

  private static PrivateKey privateKey(Object parsed, Path path) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    if (parsed instanceof PrivateKeyInfo info) {
      return converter.getPrivateKey(info);
    }
    if (parsed instanceof PEMKeyPair pair) {
      return converter.getKeyPair(pair).getPrivate();
    }
    throw new IllegalArgumentException(path + " holds no unencrypted PEM private key");
  }

  private static String pem(Object value) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static void writeAtomically(Path target, String content, boolean secret) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    if (secret) {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the data dir's own permissions must protect it
      }
    }
    Files.writeString(tmp, content);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
