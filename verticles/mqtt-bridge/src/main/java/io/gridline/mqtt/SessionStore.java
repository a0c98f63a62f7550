package io.gridline.mqtt;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MQTT sessions' state, in memory on this verticle instance of this node (DESIGN §6), per client:
 * <ul>
 *   <li>the QoS 2 packet ids whose PUBLISH was accepted (or is being written to Kafka) and whose PUBREL has not
 *   arrived, so a retransmitted QoS 2 PUBLISH is answered without a second Kafka record;</li>
 *   <li>the granted subscriptions (topic filter → granted QoS), which decide whether a command may be sent to the
 *   device; a persistent session's come back with it, so a device reconnecting with session-present gets commands
 *   without subscribing again.</li>
 * </ul>
 * A clean session starts empty and is dropped at disconnect; a persistent one survives reconnects to this node (the
 * same verticle instance). Nothing is written anywhere else: across a node loss (or a restart, or a reconnect landing
 * on another node or instance) the session is gone — the device gets CONNACK session-present=false and must
 * subscribe again, and a QoS 2 retransmission becomes a second Kafka record, which the sink's primary key (device,
 * time, datapoint) drops. Confined to the instance's event loop: no locking.
 */
final class SessionStore {
  /** One client's session. */
  static final class Session {
    private final Map<Integer, Future<Void>> awaitingRelease = new HashMap<>();
    private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    private final boolean clean;

    private Session(boolean clean) {
      this.clean = clean;
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
  }

  private final Map<String, Session> sessions = new HashMap<>();

  /**
   * Opens the client's session for a new connection. A clean one starts empty; a persistent one resumes the stored
   * session unless that belongs to a clean connection still closing (a take-over), whose state ends with it.
   *
   * @return the client's session and whether it was already present (CONNACK session-present)
   */
  Map.Entry<Session, Boolean> open(String clientId, boolean clean) {
    Session existing = sessions.get(clientId);
    if (!clean && existing != null && !existing.clean) {
      return Map.entry(existing, true);
    }
    Session fresh = new Session(clean);
    sessions.put(clientId, fresh);
    return Map.entry(fresh, false);
  }

  void close(String clientId, Session session, boolean clean) {
    if (clean) {
      sessions.remove(clientId, session);
    }
  }
}
