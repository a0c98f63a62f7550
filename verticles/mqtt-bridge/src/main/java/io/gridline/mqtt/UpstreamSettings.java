package io.gridline.mqtt;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.InvalidSetting;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code mqtt.upstream.*} keys: where the site's existing broker is and how the bridge subscribes to it.
 *
 * @param shared true: every node subscribes with {@code $share/gridline/…} under its own client id and the broker
 *               spreads the messages; false: the nodes elect one forwarder with a cluster-wide lock
 * @param tenants the tenants (canonical UUID text) whose devices the site broker may speak for: anyone who can
 *                publish there can write telemetry as any of their devices, and as no other
 * @param trustPath PEM CA certificates the broker's certificate must chain to (ssl:// only); empty = the JVM's
 * @param certPath PEM client certificate for mTLS (with keyPath)
 */
record UpstreamSettings(String url, String host, int port, boolean ssl, String clientId, Optional<String> username,
    Optional<String> password, int qos, boolean shared, int maxPayloadBytes, Set<String> tenants,
    Optional<String> trustPath, Optional<String> certPath, Optional<String> keyPath) {

  static final String URL = "mqtt.upstream.url";
  static final String TENANTS = "mqtt.upstream.tenants";
  static final String TRUST_PATH = "mqtt.upstream.tls.trust-path";
  static final String CERT_PATH = "mqtt.upstream.tls.cert-path";
  static final String KEY_PATH = "mqtt.upstream.tls.key-path";
  static final String SHARE_GROUP = "$share/gridline/";
  private static final String[] FILTERS = {"stat/+/+/+/+", "tele/+/+/+/+"};

  /**
   * Empty when {@code mqtt.upstream.url} is unset: the mode is off.
   *
   * @throws InvalidSetting naming the key of a value that cannot work
   */
  static Optional<UpstreamSettings> from(GridlineConfig c, int maxPayloadBytes) {
    Optional<String> url = c.optString(URL);
    if (url.isEmpty()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(url.get());
    } catch (URISyntaxException e) {
      throw new InvalidSetting(URL, "must be tcp://host:port or ssl://host:port, not " + url.get());
    }
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    boolean ssl = scheme.equals("ssl") || scheme.equals("mqtts");
    if (!ssl && !scheme.equals("tcp") && !scheme.equals("mqtt")) {
      throw new InvalidSetting(URL, "must be tcp://host:port or ssl://host:port, not " + url.get());
    }
    String mode = c.choice("mqtt.upstream.shared-subscription", List.of("auto", "true", "false"));
    int qos = c.nonNegativeInt("mqtt.upstream.qos");
    if (qos > 1) {
      throw new InvalidSetting("mqtt.upstream.qos", "must be 0 or 1, not " + qos);
    }
    // empty = gridline-upstream-<cluster.name>, as the file says
    String clientId = c.optString("mqtt.upstream.client-id")
        .orElse("gridline-upstream-" + c.string("cluster.name"));
    boolean shared = mode.equals("true");
    Optional<String> trustPath = c.optString(TRUST_PATH);
    Optional<String> certPath = c.optString(CERT_PATH);
    Optional<String> keyPath = c.optString(KEY_PATH);
    if (certPath.isPresent() != keyPath.isPresent()) {
      throw new InvalidSetting(certPath.isPresent() ? KEY_PATH : CERT_PATH,
          CERT_PATH + " and " + KEY_PATH + " go together: set both or neither");
    }
    if (!ssl && (trustPath.isPresent() || certPath.isPresent())) {
      throw new InvalidSetting(trustPath.isPresent() ? TRUST_PATH : CERT_PATH, "is set but " + URL
          + " is not ssl://host:port: the link would not be encrypted");
    }
    Optional<String> username = c.optString("mqtt.upstream.username");
    Optional<String> password = c.optString("mqtt.upstream.password");
    return Optional.of(new UpstreamSettings(url.get(), uri.getHost(),
        uri.getPort() > 0 ? uri.getPort() : (ssl ? 8883 : 1883), ssl,
        // shared-subscription members are distinct sessions: one client id per node
        shared ? clientId + "-" + c.nodeId() : clientId,
        username, password, qos, shared, maxPayloadBytes, tenants(c), trustPath, certPath, keyPath));
  }

  /** Required in upstream mode: without it any device of any tenant could be spoken for by the site broker. */
  private static Set<String> tenants(GridlineConfig c) {
    Set<String> tenants = new LinkedHashSet<>();
    for (String t : c.list(TENANTS)) {
      try {
        tenants.add(UUID.fromString(t).toString());
      } catch (IllegalArgumentException e) {
        throw new InvalidSetting(TENANTS, "must be a comma list of tenant UUIDs; " + t + " is not one");
      }
    }
    if (tenants.isEmpty()) {
      throw new InvalidSetting(TENANTS, "is required with " + URL + ": list the tenants whose devices "
          + "publish through that broker (anyone who can publish there speaks for their devices)");
    }
    return Set.copyOf(tenants);
  }

  boolean forwardsTenant(String tenantId) {
    return tenants.contains(tenantId);
  }

  /** The broker's address for logs and readiness: never any credentials written into the URL. */
  String display() {
    return (ssl ? "ssl://" : "tcp://") + host + ":" + port;
  }

  Map<String, Integer> subscriptions() {
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String f : FILTERS) {
      topics.put(shared ? SHARE_GROUP + f : f, qos);
    }
    return topics;
  }

  MqttClientOptions clientOptions() {
    MqttClientOptions o = new MqttClientOptions().setClientId(clientId).setCleanSession(false)
        .setKeepAliveInterval(30).setMaxMessageSize(maxPayloadBytes + 65_536);
    // PUBACK goes out only after Kafka acknowledged the record (UpstreamLink acks by hand)
    o.setAutoAck(false);
    o.setSsl(ssl);
    if (ssl) {
      // the broker's certificate must name the host of mqtt.upstream.url, as for HTTPS
      o.setHostnameVerificationAlgorithm("HTTPS");
      trustPath.ifPresent(p -> o.setTrustOptions(new PemTrustOptions().addCertPath(p)));
      certPath.ifPresent(cert -> o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert)
          .setKeyPath(keyPath.orElseThrow())));
    }
    username.ifPresent(o::setUsername);
    password.ifPresent(o::setPassword);
    return o;
  }

  /** The election lock's name: one forwarder per upstream session. */
  String lockName() {
    return "gridline.mqtt.upstream." + clientId;
  }
}
