package io.gridline.lorawan.gateway.backend.mqtt;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.InvalidSetting;
import io.vertx.mqtt.MqttClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code lorawan.mqtt.*} keys: the broker the ChirpStack Gateway Bridges publish on, and the topic prefixes
 * (regions) to subscribe under.
 *
 * @param regions the first level of the bridges' topics ({@code eu868/gateway/<id>/event/up})
 * @param shared  true: the subscriptions are {@code $share/gridline-lorawan/…}, so each event reaches one node of the
 *                cluster; false: plain subscriptions (a broker without shared subscriptions: run the backend on one
 *                node, or let dedup merge the copies every node gets)
 */
public record MqttBackendSettings(boolean enabled, String host, int port, boolean ssl, String clientId,
    Optional<String> username, Optional<String> password, List<String> regions, boolean shared) {

  static final String URL = "lorawan.mqtt.url";
  static final String SHARE_GROUP = "$share/gridline-lorawan/";
  private static final String[] EVENTS = {"up", "stats", "ack"};

  public static MqttBackendSettings from(GridlineConfig c) {
    String url = c.string(URL);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidSetting(URL, "must be tcp://host:port or ssl://host:port, not " + url);
    }
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    boolean ssl = scheme.equals("ssl") || scheme.equals("mqtts");
    if (!ssl && !scheme.equals("tcp") && !scheme.equals("mqtt") || uri.getHost() == null) {
      throw new InvalidSetting(URL, "must be tcp://host:port or ssl://host:port, not " + url);
    }
    List<String> regions = c.list("lorawan.mqtt.regions");
    for (String r : regions) {
      if (r.isEmpty() || r.contains("/") || r.contains("+") || r.contains("#")) {
        throw new InvalidSetting("lorawan.mqtt.regions", "must be topic prefixes without / + #, not " + r);
      }
    }
    boolean enabled = c.bool("lorawan.mqtt.enabled");
    if (enabled && regions.isEmpty()) {
      throw new InvalidSetting("lorawan.mqtt.regions", "names no region: the backend would subscribe to nothing");
    }
    String clientId = c.optString("lorawan.mqtt.client-id").orElse("gridline-lorawan-" + c.nodeId());
    return new MqttBackendSettings(enabled, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : (ssl ? 8883 : 1883),
        ssl, clientId, c.optString("lorawan.mqtt.username"), c.optString("lorawan.mqtt.password"),
        List.copyOf(regions), c.bool("lorawan.mqtt.shared-subscription"));
  }

  /** The broker's address for logs and readiness: never any credentials. */
  String display() {
    return (ssl ? "ssl://" : "tcp://") + host + ":" + port;
  }

  /** Every region's {@code event/up}, {@code event/stats} and {@code event/ack}, at QoS 0 as the bridge publishes. */
  Map<String, Integer> subscriptions() {
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String region : regions) {
      for (String event : EVENTS) {
        topics.put((shared ? SHARE_GROUP : "") + region + "/gateway/+/event/" + event, 0);
      }
    }
    return topics;
  }

  MqttClientOptions clientOptions() {
    MqttClientOptions o = new MqttClientOptions().setClientId(clientId).setCleanSession(true)
        .setKeepAliveInterval(30).setAutoKeepAlive(true);
    o.setSsl(ssl);
    if (ssl) {
      o.setHostnameVerificationAlgorithm("HTTPS"); // the JVM's trust store, the broker's name checked as for HTTPS
    }
    username.ifPresent(o::setUsername);
    password.ifPresent(o::setPassword);
    return o;
  }
}
