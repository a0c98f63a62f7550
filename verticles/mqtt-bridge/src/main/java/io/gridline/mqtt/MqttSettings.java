package io.gridline.mqtt;

import io.gridline.runtime.DeviceCertificateAuthority;
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
    int maxPublishRate, long statusIntervalMs) {

  static final String PORT = "mqtt.port";
  static final String TLS_PORT = "mqtt.tls-port";

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
        c.has("mqtt.status-interval-ms") ? c.longValue("mqtt.status-interval-ms") : 30_000);
  }

  /** TLS listens only when both a certificate and its key are configured. */
  boolean tlsEnabled() {
    return certPath.isPresent() && keyPath.isPresent();
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
