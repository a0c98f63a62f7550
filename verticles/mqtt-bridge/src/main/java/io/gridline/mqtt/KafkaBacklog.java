package io.gridline.mqtt;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes and records this node's bridge has handed to Kafka and that Kafka has not acknowledged yet, shared by every
 * bridge instance of a Vert.x (like {@link ConnectionQuota}). While Kafka is slow or down they would pile up in the
 * producer until memory runs out; past {@code mqtt.max-pending-bytes} or {@code mqtt.max-pending-records} the bridge
 * refuses new publishes instead ({@link Refusal#SERVER_BUSY}). Checking and adding are separate steps, so the instances
 * of one node may overshoot a limit by at most one record each.
 */
final class KafkaBacklog implements Shareable {
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong records = new AtomicLong();

  static KafkaBacklog of(Vertx vertx) {
    return vertx.sharedData().<String, KafkaBacklog>getLocalMap("gridline.mqtt.quota")
        .computeIfAbsent("kafka-backlog", k -> new KafkaBacklog());
  }

  /** A record of {@code size} bytes handed to the producer. */
  void sending(int size) {
    bytes.addAndGet(size);
    records.incrementAndGet();
  }

  /** That record acknowledged, or failed for good. */
  void done(int size) {
    bytes.addAndGet(-size);
    records.decrementAndGet();
  }

  boolean full(long maxBytes, long maxRecords) {
    return bytes.get() >= maxBytes || records.get() >= maxRecords;
  }

  long bytes() {
    return bytes.get();
  }

  long records() {
    return records.get();
  }
}
