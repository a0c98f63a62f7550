package io.gridline.mqtt;

import io.gridline.runtime.GridlineConfig;
import io.vertx.mqtt.MqttClientOptions;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code mqtt.upstream.*} keys: where the site's existing broker is and how the bridge subscribes to it.
 *
 * @param shared true: every node subscribes with {@code $share/gridline/…} under its own client id and the broker
 *               spreads the messages; false: the nodes elect one forwarder with a cluster-wide lock
 */
record UpstreamSettings(String url, String host, int port, boolean ssl, String clientId, Optional<String> username,
    Optional<String> password, int qos, boolean shared, int maxPayloadBytes) {

  static final String URL = "mqtt.upstream.url";
  static final String SHARE_GROUP = "$share/gridline/";
  private static final String[] FILTERS = {"stat/+/+/+/+", "tele/+/+/+/+"};

  /** Empty when {@code mqtt.upstream.url} is unset: the mode is off. */
  static Optional<UpstreamSettings> from(GridlineConfig c, int maxPayloadBytes) {
    Optional<String> url = c.optString(URL).filter(u -> !u.isBlank());
    if (url.isEmpty()) {
      return Optional.empty();
    }
    URI uri = URI.create(url.get());
    String scheme = String.valueOf(uri.getScheme()).toLowerCase();
    boolean ssl = scheme.equals("ssl") || scheme.equals("mqtts");
    if (!ssl && !scheme.equals("tcp") && !scheme.equals("mqtt")) {
      throw new IllegalArgumentException(URL + " must be tcp://host:port or ssl://host:port, not " + url.get());
    }
    String mode = c.string("mqtt.upstream.shared-subscription", "auto").trim().toLowerCase();
    if (!mode.equals("auto") && !mode.equals("true") && !mode.equals("false")) {
      throw new IllegalArgumentException("mqtt.upstream.shared-subscription must be auto, true or false, not " + mode);
    }
    int qos = c.has("mqtt.upstream.qos") ? c.integer("mqtt.upstream.qos") : 1;
    if (qos < 0 || qos > 1) {
      throw new IllegalArgumentException("mqtt.upstream.qos must be 0 or 1, not " + qos);
    }
    String clientId = c.optString("mqtt.upstream.client-id").filter(s -> !s.isBlank())
        .orElse("gridline-upstream-" + c.string("cluster.name", "gridline"));
    boolean shared = mode.equals("true");
    return Optional.of(new UpstreamSettings(url.get(), uri.getHost(),
        uri.getPort() > 0 ? uri.getPort() : (ssl ? 8883 : 1883), ssl,
        // shared-subscription members are distinct sessions: one client id per node
        shared ? clientId + "-" + c.nodeId() : clientId,
        c.optString("mqtt.upstream.username").filter(s -> !s.isBlank()),
        c.optString("mqtt.upstream.password").filter(s -> !s.isBlank()),
        qos, shared, maxPayloadBytes));
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
    username.ifPresent(o::setUsername);
    password.ifPresent(o::setPassword);
    return o;
  }

  /** The election lock's name: one forwarder per upstream session. */
  String lockName() {
    return "gridline.mqtt.upstream." + clientId;
  }
}
