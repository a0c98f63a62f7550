package io.gridline.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The bridge's metrics ({@code gridline_mqtt_*} in Prometheus). */
final class BridgeMeters {
  private final MeterRegistry registry;
  private final Counter publishesIn;
  private final Counter publishesAcked;
  private final Counter bytesIn;
  private final Timer kafkaSend;

  BridgeMeters(MeterRegistry registry, ConnectionQuota quota, KafkaBacklog backlog) {
    this.registry = registry;
    registry.gauge("gridline.mqtt.connections", quota, ConnectionQuota::inUse);
    registry.gauge("gridline.mqtt.kafka.pending.bytes", backlog, KafkaBacklog::bytes);
    registry.gauge("gridline.mqtt.kafka.pending.records", backlog, KafkaBacklog::records);
    publishesIn = registry.counter("gridline.mqtt.publishes.in");
    publishesAcked = registry.counter("gridline.mqtt.publishes.acked");
    bytesIn = registry.counter("gridline.mqtt.bytes.in");
    kafkaSend = Timer.builder("gridline.mqtt.kafka.send").description("publish accepted → Kafka acknowledged")
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
  }

  void publishReceived(int bytes) {
    publishesIn.increment();
    bytesIn.increment(bytes);
  }

  void publishAcked() {
    publishesAcked.increment();
  }

  void kafkaSent(long startedNanos) {
    kafkaSend.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  /** {@code action}: publish or subscribe. */
  void aclRefused(String action) {
    registry.counter("gridline.mqtt.acl.refusals", "action", action).increment();
  }

  /** A refused publish, by reason (acl, payload-too-large, rate, server-busy, kafka). */
  void publishRefused(String reason) {
    registry.counter("gridline.mqtt.publish.refusals", "reason", reason).increment();
  }

  /** A refused subscription (one topic filter), by reason (acl, subscribe-rate, subscription-quota). */
  void subscribeRefused(String reason) {
    registry.counter("gridline.mqtt.subscribe.refusals", "reason", reason).increment();
  }

  /** A command from the api handled on this node, by outcome (delivered, offline, not_subscribed, failed). */
  void commandHandled(String outcome, long startedNanos) {
    Timer.builder("gridline.mqtt.commands").description("command received on the node address → written or refused")
        .tag("outcome", outcome).register(registry).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  /** A refused CONNECT, by reason (connect-rate, not-authorized, unknown-client-id, unregistered, capacity, error). */
  void connectRefused(String reason) {
    registry.counter("gridline.mqtt.connect.refusals", "reason", reason).increment();
  }

  void upstreamForwarded() {
    registry.counter("gridline.mqtt.upstream.forwarded").increment();
  }

  /**
   * An upstream broker's message acknowledged but not forwarded, by reason (malformed-topic, unknown-device,
   * foreign-tenant, payload-too-large).
   */
  void upstreamDropped(String reason) {
    registry.counter("gridline.mqtt.upstream.dropped", "reason", reason).increment();
  }
}
