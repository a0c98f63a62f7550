package io.gridline.mqtt;

import io.gridline.runtime.Readiness;
import io.gridline.runtime.mqtt.BrokerLink;
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

  private final Vertx vertx;
  private final UpstreamSettings settings;
  private final UpstreamForwarder forwarder;
  private final ForwarderElection election;
  private final BrokerLink link;
  private boolean forwarding;

  UpstreamLink(Vertx vertx, UpstreamSettings settings, UpstreamForwarder forwarder) {
    this.vertx = vertx;
    this.settings = settings;
    this.forwarder = forwarder;
    // shared mode: the lock is per node (its client id carries node.id), so the instances of one node share a session
    this.election = new ForwarderElection(vertx, settings.lockName());
    this.link = new BrokerLink(vertx, "upstream broker", settings.display(), settings.host(), settings.port(),
        settings.clientOptions(),
        c -> c.publishHandler(msg -> onMessage(c, msg)).subscribeCompletionHandler(this::onSubscribed),
        c -> c.subscribe(settings.subscriptions()).mapEmpty());
  }

  /** Returns at once; the link connects when this instance is (or becomes) the forwarder. */
  void start() {
    election.win().onSuccess(v -> {
      LOG.info("forwarding upstream {} as client id {}", settings.display(), settings.clientId());
      forwarding = true;
      Readiness.of(vertx).register(CHECK, link::probe);
      link.start();
    });
  }

  private void onMessage(MqttClient from, MqttPublishMessage msg) {
    forwarder.forward(UpstreamMessage.of(msg)).onComplete(ar -> {
      if (!link.isCurrent(from)) {
        return; // a stale connection: the broker redelivers on the new one
      }
      if (ar.succeeded()) {
        if (msg.qosLevel().value() > 0) {
          msg.ack();
        }
      } else {
        // without an acknowledgement the broker keeps the message; reconnecting makes it redeliver
        link.reconnect(from, "forwarding failed: " + ar.cause().getMessage());
      }
    });
  }

  private void onSubscribed(MqttSubAckMessage ack) {
    if (ack.grantedQoSLevels().stream().anyMatch(q -> q == 0x80)) {
      link.down("the broker refused the subscription " + settings.subscriptions().keySet());
    }
  }

  Future<Void> stop() {
    return link.stop().andThen(ar -> {
      election.resign();
      if (forwarding) {
        Readiness.of(vertx).unregister(CHECK);
      }
      forwarding = false;
    });
  }
}
