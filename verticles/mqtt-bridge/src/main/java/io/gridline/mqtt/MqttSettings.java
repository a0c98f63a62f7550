package io.gridline.mqtt;

import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.GeneratedServerCertificate;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.InvalidSetting;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The bridge's config keys (declared in {@code config/gridline.yaml}), read once at start.
 *
 * @param plain whether the plain listener listens: {@code mqtt.plain} and {@code mqtt.port} not -1
 * @param requireRegisteredCertificate accept a client certificate only with an active record for the device row
 *                                     ({@code mqtt.tls.require-registered-certificate})
 * @param sessionExpiryMax the cap on MQTT 5 session expiry intervals, and how long a 3.1.1 persistent session outlives
 *                         its connection
 */
record MqttSettings(String host, boolean plain, int port, int tlsPort, Optional<String> certPath,
    Optional<String> keyPath, Optional<String> clientCaPath, boolean requireAuth, int maxConnections,
    int maxPayloadBytes, int maxPublishRate, long statusIntervalMs, boolean generateTls, int maxSubscriptions,
    int maxSubscribeRate, Duration sessionExpiryMax, int connectRatePerAddress, Duration connectTimeout,
    long maxPendingBytes, int maxPendingRecords, boolean requireRegisteredCertificate) {

  static final String PLAIN = "mqtt.plain";
  static final String PORT = "mqtt.port";
  static final String TLS_PORT = "mqtt.tls-port";
  static final String TLS_GENERATE = "mqtt.tls.generate";
  /** {@code mqtt.port} value that turns the plain listener off, like {@code mqtt.plain=false}. */
  static final int OFF = -1;
  /** The generated server certificate's files in the data dir: {@code mqtt-server.{crt,key}.pem}. */
  static final String GENERATED_NAME = "mqtt-server";

  /** @throws InvalidSetting naming the key of a bad value, or when no listener would listen */
  static MqttSettings from(GridlineConfig c) {
    int port = c.portOrOff(PORT);
    MqttSettings s = new MqttSettings(
        c.string("mqtt.host"),
        c.bool(PLAIN) && port != OFF,
        port,
        c.port(TLS_PORT),
        c.optString("mqtt.tls.cert-path"),
        c.optString("mqtt.tls.key-path"),
        // without an explicit client CA, devices are trusted by the certificates Gridline's device CA issued
        c.optString("mqtt.tls.client-ca-path").or(() -> DeviceCertificateAuthority.certPath(c).map(Path::toString)),
        c.bool("mqtt.require-auth"),
        c.positiveInt("mqtt.max-connections"),
        c.positiveInt("mqtt.max-payload-bytes"),
        c.positiveInt("mqtt.max-publish-rate"),
        c.positiveLong("mqtt.status-interval-ms"),
        c.bool(TLS_GENERATE),
        c.positiveInt("mqtt.max-subscriptions"),
        c.positiveInt("mqtt.max-subscribe-rate"),
        c.duration("mqtt.session-expiry-max"),
        c.positiveInt("mqtt.connect-rate-per-address"),
        c.duration("mqtt.connect-timeout"),
        c.positiveLong("mqtt.max-pending-bytes"),
        c.positiveInt("mqtt.max-pending-records"),
        c.bool("mqtt.tls.require-registered-certificate"));
    if (!s.plain() && !s.tlsEnabled() && !s.generatesServerCertificate()) {
      throw new InvalidSetting(PLAIN, "no MQTT listener would listen: the plain one is off (" + PLAIN + "=false or "
          + PORT + "=-1) and TLS is off (set mqtt.tls.cert-path and mqtt.tls.key-path, or " + TLS_GENERATE + "=true)");
    }
    return s;
  }

  /** TLS listens only when both a certificate and its key are configured (or were generated). */
  boolean tlsEnabled() {
    return certPath.isPresent() && keyPath.isPresent();
  }

  /**
   * The session expiry a device gets, in seconds: an MQTT 5 device's requested interval capped at
   * {@code mqtt.session-expiry-max}, for a 3.1.1 persistent session the cap itself, for a clean one 0.
   *
   * @param requestedSeconds MQTT 5: the packet's interval (unsigned; 0xFFFFFFFF = never), -1 when it has none
   */
  long sessionExpirySeconds(boolean v5, boolean cleanSession, long requestedSeconds) {
    if (!v5) {
      return cleanSession ? 0 : wholeSeconds(sessionExpiryMax);
    }
    return Math.min(Math.max(0, requestedSeconds), wholeSeconds(sessionExpiryMax));
  }

  /** MQTT counts session expiry in seconds and Vert.x the connect timeout: a fraction is rounded up. */
  private static long wholeSeconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
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
    return new MqttSettings(host, plain, port, tlsPort, Optional.of(cert.toString()), Optional.of(key.toString()),
        clientCaPath, requireAuth, maxConnections, maxPayloadBytes, maxPublishRate, statusIntervalMs, generateTls,
        maxSubscriptions, maxSubscribeRate, sessionExpiryMax, connectRatePerAddress, connectTimeout, maxPendingBytes,
        maxPendingRecords, requireRegisteredCertificate);
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
    // a socket that sends no CONNECT would hold a file descriptor and buffers for nothing: closed after
    // mqtt.connect-timeout
    return new MqttServerOptions().setMaxMessageSize(maxPayloadBytes + 65_536).setAutoClientId(false)
        .setMaxClientIdLength(64).setTimeoutOnConnect((int) Math.min(Integer.MAX_VALUE, wholeSeconds(connectTimeout)));
  }
}
