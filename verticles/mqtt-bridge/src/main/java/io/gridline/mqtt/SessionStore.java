package io.gridline.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MQTT sessions' state, in memory on this verticle instance of this node (docs/architecture.md §6), per client:
 * <ul>
 *   <li>the QoS 2 packet ids whose PUBLISH was accepted (or is being written to Kafka) and whose PUBREL has not
 *   arrived, so a retransmitted QoS 2 PUBLISH is answered without a second Kafka record;</li>
 *   <li>the granted subscriptions (topic filter → granted QoS), which decide whether a command may be sent to the
 *   device; a persistent session's come back with it, so a device reconnecting with session-present gets commands
 *   without subscribing again. At most {@code mqtt.max-subscriptions} per session ({@link DeviceConnection}).</li>
 * </ul>
 * Each session has an expiry interval: 0 (a clean 3.1.1 session, or MQTT 5 without an interval) ends it with its
 * connection; otherwise it outlives its last connection by that long ({@code mqtt.session-expiry-max} at most) and is
 * then removed, unless a connection resumed it meanwhile. Sessions are only opened for registered, authenticated
 * devices, so they are bounded by the registry. Nothing is written anywhere else: across a node loss (or a restart, or
 * a reconnect landing on another node or instance) the session is gone — the device gets CONNACK session-present=false
 * and must subscribe again, and a QoS 2 retransmission becomes a second Kafka record, which the sink's primary key
 * (device, time, datapoint) drops. Confined to the instance's event loop: no locking.
 */
final class SessionStore {
  /** One client's session. */
  static final class Session {
    private final Map<Integer, Future<Void>> awaitingRelease = new HashMap<>();
    private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    private long expirySeconds;
    /** Connections attached: more than one while a take-over's old connection is still closing. */
    private int connections;
    private long expiryTimer = -1;

    private Session(long expirySeconds) {
      this.expirySeconds = expirySeconds;
    }

    /** The write of QoS 2 packet {@code id} if it was already accepted or is under way. */
    Future<Void> inFlight(int id) {
      return awaitingRelease.get(id);
    }

    void track(int id, Future<Void> write) {
      awaitingRelease.put(id, write);
      write.onFailure(err -> awaitingRelease.remove(id, write));
    }

    void released(int id) {
      awaitingRelease.remove(id);
    }

    /** A granted subscription; a later one on the same filter replaces it (MQTT). */
    void subscribed(String filter, int grantedQos) {
      subscriptions.put(filter, grantedQos);
    }

    void unsubscribed(String filter) {
      subscriptions.remove(filter);
    }

    boolean hasSubscription(String filter) {
      return subscriptions.containsKey(filter);
    }

    /** The highest QoS granted on a filter matching {@code topic}, or null when none matches. */
    Integer grantedQos(String topic) {
      Integer best = null;
      for (Map.Entry<String, Integer> s : subscriptions.entrySet()) {
        if (TopicAcl.matches(s.getKey(), topic) && (best == null || s.getValue() > best)) {
          best = s.getValue();
        }
      }
      return best;
    }

    int subscriptionCount() {
      return subscriptions.size();
    }

    /**
     * An MQTT 5 DISCONNECT may change the interval; one that was 0 at CONNECT stays 0 (MQTT 5 §3.14.2.2.2 makes the
     * opposite a protocol error).
     */
    void expiresAfter(long seconds) {
      if (expirySeconds > 0) {
        expirySeconds = seconds;
      }
    }
  }

  private final Vertx vertx;
  private final Map<String, Session> sessions = new HashMap<>();

  SessionStore(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Opens the client's session for a new connection. A clean start begins empty; otherwise the stored session resumes
   * unless it ends with its connection (expiry 0: a take-over of a connection still closing), whose state ends with
   * it. The new connection's expiry interval applies from now on.
   *
   * @return the client's session and whether it was already present (CONNACK session-present)
   */
  Map.Entry<Session, Boolean> open(String clientId, boolean cleanStart, long expirySeconds) {
    Session existing = sessions.get(clientId);
    if (!cleanStart && existing != null && existing.expirySeconds > 0) {
      cancelExpiry(existing);
      existing.connections++;
      existing.expirySeconds = expirySeconds;
      return Map.entry(existing, true);
    }
    if (existing != null) {
      cancelExpiry(existing);
    }
    Session fresh = new Session(expirySeconds);
    fresh.connections = 1;
    sessions.put(clientId, fresh);
    return Map.entry(fresh, false);
  }

  /**
   * One of the session's connections ended. The last one ends a session whose interval is 0 and starts the expiry of
   * any other; a session that was replaced (clean start) is already gone.
   */
  void close(String clientId, Session session) {
    session.connections--;
    if (session.connections > 0 || sessions.get(clientId) != session) {
      return;
    }
    if (session.expirySeconds == 0) {
      sessions.remove(clientId);
      return;
    }
    session.expiryTimer = vertx.setTimer(session.expirySeconds * 1000, t -> {
      session.expiryTimer = -1;
      if (session.connections == 0) {
        sessions.remove(clientId, session);
      }
    });
  }

  /** An MQTT 5 packet's Session Expiry Interval in seconds (unsigned: 0xFFFFFFFF is "never"), or -1 without one. */
  static long expiryProperty(MqttProperties properties) {
    MqttProperties.MqttProperty<?> p = properties == null ? null
        : properties.getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
    return p == null || !(p.value() instanceof Number n) ? -1 : Integer.toUnsignedLong(n.intValue());
  }

  private void cancelExpiry(Session session) {
    if (session.expiryTimer >= 0) {
      vertx.cancelTimer(session.expiryTimer);
      session.expiryTimer = -1;
    }
  }
}
