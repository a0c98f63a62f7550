package io.gridline.mqtt;

import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.GeneratedServerCertificate;
import io.gridline.runtime.GridlineConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttServerOptions;
import java.nio.file.Path;
import java.util.Optional;

/** The bridge's config keys (declared in {@code config/gridline.yaml}), read once at start. */
record MqttSettings(String host, int port, int tlsPort, Optional<String> certPath, Optional<String> keyPath,
    Optional<String> clientCaPath, boolean requireAuth, int maxConnections, int maxPayloadBytes,
    int maxPublishRate, long statusIntervalMs, boolean generateTls, boolean requireRegisteredCertificate) {

  static final String PORT = "mqtt.port";
  static final String TLS_PORT = "mqtt.tls-port";
  static final String TLS_GENERATE = "mqtt.tls.generate";
  /** The generated server certificate's files in the data dir: {@code mqtt-server.{crt,key}.pem}. */
  static final String GENERATED_NAME = "mqtt-server";

  static MqttSettings from(GridlineConfig c) {
    return new MqttSettings(
        c.string("mqtt.host", "0.0.0.0"),
        c.has(PORT) ? c.integer(PORT) : 1883,
        c.has(TLS_PORT) ? c.integer(TLS_PORT) : 8883,
        c.optString("mqtt.tls.cert-path"),
        c.optString("mqtt.tls.key-path"),
        // without an explicit client CA, devices are trusted by the certificates Gridline's device CA issued
        c.optString("mqtt.tls.client-ca-path").or(() -> DeviceCertificateAuthority.certPath(c).map(Path::toString)),
        !c.has("mqtt.require-auth") || c.bool("mqtt.require-auth"),
        c.has("mqtt.max-connections") ? c.integer("mqtt.max-connections") : 10_000,
        c.has("mqtt.max-payload-bytes") ? c.integer("mqtt.max-payload-bytes") : 65_536,
        c.has("mqtt.max-publish-rate") ? c.integer("mqtt.max-publish-rate") : 100,
        c.has("mqtt.status-interval-ms") ? c.longValue("mqtt.status-interval-ms") : 30_000,
        c.has(TLS_GENERATE) && c.bool(TLS_GENERATE),
        !c.has("mqtt.tls.require-registered-certificate") || c.bool("mqtt.tls.require-registered-certificate"));
  }

  /** TLS listens only when both a certificate and its key are configured (or were generated). */
  boolean tlsEnabled() {
    return certPath.isPresent() && keyPath.isPresent();
  }

  /** Whether the server certificate is to be generated: {@code mqtt.tls.generate} and no cert/key path set. */
  boolean generatesServerCertificate() {
    return generateTls && certPath.isEmpty() && keyPath.isEmpty();
  }

  /**
   * With {@link #generatesServerCertificate()}: these settings serving the data dir's generated server certificate,
   * signed by the device CA (generated the first time, reused after restarts); otherwise these settings. Blocking.
   */
  MqttSettings resolveServerCertificate(Optional<DeviceCertificateAuthority> ca, GridlineConfig config) {
    if (!generatesServerCertificate()) {
      return this;
    }
    DeviceCertificateAuthority authority = ca.orElseThrow(() -> new IllegalStateException(TLS_GENERATE
        + "=true needs the device CA that signs the server certificate: set " + DeviceCertificateAuthority.GENERATE
        + "=true or " + DeviceCertificateAuthority.CERT_PATH + " and " + DeviceCertificateAuthority.KEY_PATH));
    GeneratedServerCertificate.PemFiles files = GeneratedServerCertificate.loadOrGenerate(
        DeviceCertificateAuthority.dataDir(config), GENERATED_NAME, authority);
    return withServerCertificate(files.certPath(), files.keyPath());
  }

  /** These settings serving the given certificate and key (the generated ones). */
  MqttSettings withServerCertificate(Path cert, Path key) {
    return new MqttSettings(host, port, tlsPort, Optional.of(cert.toString()), Optional.of(key.toString()),
        clientCaPath, requireAuth, maxConnections, maxPayloadBytes, maxPublishRate, statusIntervalMs, generateTls,
        requireRegisteredCertificate);
  }

  MqttServerOptions plainOptions() {
    return base().setHost(host).setPort(port);
  }

  MqttServerOptions tlsOptions() {
    MqttServerOptions o = base().setHost(host).setPort(tlsPort);
    o.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath.orElseThrow())
        .setKeyPath(keyPath.orElseThrow()));
    clientCaPath.ifPresent(ca -> o.setTrustOptions(new PemTrustOptions().addCertPath(ca))
        .setClientAuth(ClientAuth.REQUEST));
    return o;
  }

  private MqttServerOptions base() {
    // The decoder's limit sits above the payload limit so an oversize publish reaches the bridge and is refused with
    // a reason code instead of a bare close; topic and properties rarely need more than 64 KiB.
    return new MqttServerOptions().setMaxMessageSize(maxPayloadBytes + 65_536).setAutoClientId(false)
        .setMaxClientIdLength(64);
  }
}
