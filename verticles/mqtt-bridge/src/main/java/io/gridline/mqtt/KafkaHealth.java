package io.gridline.mqtt;

import io.vertx.core.Future;
import java.util.TreeMap;

/**
 * Whether Kafka is taking the bridge's records, for {@code /health/ready}: not ready while a record has waited for
 * its acknowledgement longer than {@link #STALL_MS}, or while the latest send failed. An idle bridge cannot tell.
 */
final class KafkaHealth {
  static final long STALL_MS = 5_000;
  private final TreeMap<Long, Integer> pendingSince = new TreeMap<>();
  private String lastFailure;

  /** @return a token to pass to {@link #done} */
  long sending() {
    long now = System.currentTimeMillis();
    pendingSince.merge(now, 1, Integer::sum);
    return now;
  }

  void done(long token, Throwable failure) {
    pendingSince.computeIfPresent(token, (k, n) -> n == 1 ? null : n - 1);
    lastFailure = failure == null ? null : String.valueOf(failure.getMessage());
  }

  Future<Void> probe() {
    if (lastFailure != null) {
      return Future.failedFuture("the last Kafka send failed: " + lastFailure);
    }
    if (!pendingSince.isEmpty()) {
      long waited = System.currentTimeMillis() - pendingSince.firstKey();
      if (waited > STALL_MS) {
        return Future.failedFuture("Kafka has not acknowledged a record for " + waited / 1000
            + " s: publishes stay unacknowledged until it does");
      }
    }
    return Future.succeededFuture();
  }
}
