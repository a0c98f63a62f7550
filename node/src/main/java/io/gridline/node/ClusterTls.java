package io.gridline.node;

import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.EnvNames;
import io.gridline.runtime.GeneratedServerCertificate;
import io.gridline.runtime.GridlineConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * TLS with client certificates on the clustered event bus ({@code cluster.tls.*}). Every member presents a certificate
 * signed by a CA in {@code cluster.tls.trust-path} and accepts connections only from members that do: a process without
 * such a certificate can neither send to nor receive from the bus, whatever it learned from Hazelcast (which has no
 * member authentication in its open-source edition, hence bound to {@code cluster.host}, a private interface). Host
 * names are not checked (Vert.x connects members by address): membership is the certificate.
 *
 * <p>{@code cluster.tls.generate} (dev profile, or nodes sharing one data dir on one machine) makes the files: a cluster CA
 * {@code cluster-ca.{crt,key}.pem} generated once into {@code devservices.data-dir} (a file lock makes nodes started
 * at once agree on one), and this node's certificate {@code cluster-node-<node.id>.{crt,key}.pem} signed by it.
 */
final class ClusterTls {
  static final String CERT_PATH = "cluster.tls.cert-path";
  static final String KEY_PATH = "cluster.tls.key-path";
  static final String TRUST_PATH = "cluster.tls.trust-path";
  static final String GENERATE = "cluster.tls.generate";

  /** The PEM files of this member. */
  record Files(Path cert, Path key, Path trust) {}

  private ClusterTls() {}

  /**
   * The member's files: the configured ones (all three, or none), else generated ones with {@code cluster.tls.generate},
   * else empty (the bus runs without TLS). Blocking (files, key generation).
   */
  static Optional<Files> resolve(GridlineConfig config, Path dataDir) {
    List<String> keys = List.of(CERT_PATH, KEY_PATH, TRUST_PATH);
    long set = keys.stream().filter(config::has).count();
    if (set == keys.size()) {
      Files files = new Files(Path.of(config.string(CERT_PATH)), Path.of(config.string(KEY_PATH)),
          Path.of(config.string(TRUST_PATH)));
      for (String key : keys) {
        if (!java.nio.file.Files.isReadable(Path.of(config.string(key)))) {
          throw invalid(key, "cannot read " + config.string(key));
        }
      }
      return Optional.of(files);
    }
    if (set > 0) {
      String missing = keys.stream().filter(k -> !config.has(k)).findFirst().orElseThrow();
      throw invalid(missing, "set " + String.join(", ", keys) + " together (or none, or " + GENERATE + "=true)");
    }
    if (!config.bool(GENERATE)) {
      return Optional.empty();
    }
    DeviceCertificateAuthority ca = DeviceCertificateAuthority.loadOrGenerate(dataDir, "cluster-ca", "Gridline cluster CA");
    String name = "cluster-node-" + config.nodeId().replaceAll("[^A-Za-z0-9._-]", "_");
    GeneratedServerCertificate.PemFiles member = GeneratedServerCertificate.loadOrGenerate(dataDir, name, ca,
        authority -> authority.issueNode(config.nodeId()));
    return Optional.of(new Files(member.certPath(), member.keyPath(), dataDir.resolve("cluster-ca.crt.pem")));
  }

  /** The event bus options with TLS and required client certificates. */
  static EventBusOptions apply(EventBusOptions options, Files files) {
    return options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(files.cert().toString())
            .setKeyPath(files.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(files.trust().toString()))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  private static InvalidConfigException invalid(String key, String why) {
    return new InvalidConfigException("invalid value for " + key + " (env " + EnvNames.forKey(key) + "): " + why);
  }
}
