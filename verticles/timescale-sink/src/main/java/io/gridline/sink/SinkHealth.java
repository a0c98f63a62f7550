package io.gridline.sink;

import io.gridline.contracts.Topics;
import io.vertx.core.Future;
import io.vertx.kafka.client.common.TopicPartition;
import java.util.Set;

/**
 * What {@code /health/ready} says about one sink instance: not ready until Kafka has assigned its partitions (even
 * none, when more instances than partitions run), and not ready while batches cannot be written, with the reason.
 */
final class SinkHealth {
  private volatile boolean assigned;
  private volatile String outage;

  void partitionsAssigned(Set<TopicPartition> partitions) {
    assigned = true;
  }

  void writesFailing(String reason) {
    outage = reason;
  }

  void writesRecovered() {
    outage = null;
  }

  boolean writesFailing() {
    return outage != null;
  }

  Future<Void> probe() {
    String reason = outage;
    if (reason != null) {
      return Future.failedFuture(reason);
    }
    return assigned ? Future.succeededFuture()
        : Future.failedFuture("waiting for Kafka to assign partitions of " + Topics.TELEMETRY_DECODED);
  }
}
