package io.gridline.mqtt;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;

/**
 * MQTT sessions' in-flight state, in memory on this node (DESIGN §6): for each client, the QoS 2 packet ids whose
 * PUBLISH was accepted (or is being written to Kafka) and whose PUBREL has not arrived, so a retransmitted QoS 2
 * PUBLISH is answered without a second Kafka record. A clean session starts empty and is dropped at disconnect; a
 * persistent one survives reconnects to this node. Across a node loss the state is gone: a retransmission becomes a
 * second Kafka record, which the sink's primary key (device, time, datapoint) drops.
 */
final class SessionStore {
  /** One client's session. */
  static final class Session {
    private final Map<Integer, Future<Void>> awaitingRelease = new HashMap<>();

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
  }

  private final Map<String, Session> sessions = new HashMap<>();

  /** @return the client's session and whether it was already present */
  Map.Entry<Session, Boolean> open(String clientId, boolean clean) {
    if (clean) {
      sessions.remove(clientId);
    }
    Session existing = sessions.get(clientId);
    if (existing != null) {
      return Map.entry(existing, true);
    }
    Session fresh = new Session();
    sessions.put(clientId, fresh);
    return Map.entry(fresh, false);
  }

  void close(String clientId, Session session, boolean clean) {
    if (clean) {
      sessions.remove(clientId, session);
    }
  }
}
