package io.gridline.mqtt;

import io.gridline.runtime.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream bridge mode: a persistent-session MQTT client of the site's broker that hands each message to the
 * {@link UpstreamForwarder} and acknowledges it upstream only once the forwarder is done with it (Kafka acknowledged,
 * or dropped with a reason). One forwarder per cluster by {@link ForwarderElection}, or with shared subscriptions one
 * per node and the broker spreading the messages. The connection is re-established with backoff; readiness says why
 * while it is down.
 */
final class UpstreamLink {
  static final String CHECK = "verticle.mqtt-bridge.upstream";
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamLink.class);
  private static final long FIRST_BACKOFF_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final UpstreamSettings settings;
  private final UpstreamForwarder forwarder;
  private final ForwarderElection election;
  private MqttClient client;
  private boolean connected;
  private boolean stopped;
  private long backoffMs = FIRST_BACKOFF_MS;
  private long reconnectTimer = -1;
  private String problem = "not connected yet";
  private boolean forwarding;

  UpstreamLink(Vertx vertx, UpstreamSettings settings, UpstreamForwarder forwarder) {
    this.vertx = vertx;
    this.settings = settings;
    this.forwarder = forwarder;
    // shared mode: the lock is per node (its client id carries node.id), so the instances of one node share a session
    this.election = new ForwarderElection(vertx, settings.lockName());
  }

  /** Returns at once; the link connects when this instance is (or becomes) the forwarder. */
  void start() {
    election.win().onSuccess(v -> {
      LOG.info("forwarding upstream {} as client id {}", settings.display(), settings.clientId());
      forwarding = true;
      Readiness.of(vertx).register(CHECK, this::probe);
      connect();
    });
  }

  private void connect() {
    if (stopped) {
      return;
    }
    MqttClient c = MqttClient.create(vertx, settings.clientOptions());
    client = c;
    c.publishHandler(msg -> onMessage(c, msg))
        .subscribeCompletionHandler(this::onSubscribed)
        .closeHandler(v -> onClosed(c))
        .exceptionHandler(err -> LOG.debug("upstream connection error", err));
    c.connect(settings.port(), settings.host())
        .compose(ack -> {
          if (stopped || c != client) {
            return c.disconnect().map(v -> -1); // stopped while connecting
          }
          connected = true;
          backoffMs = FIRST_BACKOFF_MS;
          problem = null;
          return c.subscribe(settings.subscriptions());
        })
        .onFailure(err -> {
          if (stopped) {
            return;
          }
          problem = "cannot connect to " + settings.display() + ": " + err.getMessage();
          LOG.warn("upstream: {}", problem);
          if (c.isConnected()) {
            c.disconnect();
          } else {
            retryLater(c);
          }
        });
  }

  private void onMessage(MqttClient from, MqttPublishMessage msg) {
    forwarder.forward(UpstreamMessage.of(msg)).onComplete(ar -> {
      if (from != client || !from.isConnected()) {
        return; // a stale connection: the broker redelivers on the new one
      }
      if (ar.succeeded()) {
        if (msg.qosLevel().value() > 0) {
          msg.ack();
        }
      } else {
        // without an acknowledgement the broker keeps the message; reconnecting makes it redeliver
        problem = "forwarding failed: " + ar.cause().getMessage();
        LOG.warn("upstream: {}; reconnecting for redelivery", problem);
        from.disconnect();
      }
    });
  }

  private void onSubscribed(MqttSubAckMessage ack) {
    if (ack.grantedQoSLevels().stream().anyMatch(q -> q == 0x80)) {
      problem = "the broker refused the subscription " + settings.subscriptions().keySet();
      LOG.warn("upstream: {}", problem);
    }
  }

  private void onClosed(MqttClient c) {
    if (c != client) {
      return;
    }
    if (connected) {
      connected = false;
      if (problem == null) {
        problem = "connection to " + settings.display() + " closed";
      }
      LOG.warn("upstream: {}", problem);
    }
    retryLater(c);
  }

  private void retryLater(MqttClient c) {
    if (stopped || c != client || reconnectTimer >= 0) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    reconnectTimer = vertx.setTimer(delay, t -> {
      reconnectTimer = -1;
      connect();
    });
  }

  private Future<Void> probe() {
    return connected && problem == null ? Future.succeededFuture()
        : Future.failedFuture("upstream broker " + settings.display() + " unreachable: " + problem
            + " (retrying every " + backoffMs / 1000 + " s at most)");
  }

  Future<Void> stop() {
    stopped = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    MqttClient c = client;
    client = null;
    Future<Void> closed = c != null && c.isConnected() ? c.disconnect() : Future.succeededFuture();
    return closed.recover(err -> Future.succeededFuture()).andThen(ar -> {
      election.resign();
      if (forwarding) {
        Readiness.of(vertx).unregister(CHECK);
      }
      forwarding = false;
      connected = false;
    });
  }
}
