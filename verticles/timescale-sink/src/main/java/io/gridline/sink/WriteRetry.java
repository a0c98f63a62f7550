package io.gridline.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a batch's write with exponential backoff ({@code sink.retry-backoff-ms} doubling up to
 * {@code sink.max-retry-backoff-ms}) until the database takes it: the same rows, so nothing is lost or reordered, and
 * nothing is committed to Kafka meanwhile. Readiness says why while it retries. Once stopping, a failure is final:
 * the batch's records stay uncommitted and are redelivered to whoever consumes next.
 */
final class WriteRetry {
  private static final Logger log = LoggerFactory.getLogger(WriteRetry.class);
  private final Vertx vertx;
  private final long backoffMs;
  private final long maxBackoffMs;
  private final SinkHealth health;
  private final Counter retries;
  private boolean stopping;
  /** Batches waiting for their next attempt (several when more than one batch is in flight), with their timers. */
  private final Map<Promise<?>, Long> pending = new HashMap<>();

  WriteRetry(Vertx vertx, long backoffMs, long maxBackoffMs, SinkHealth health, MeterRegistry meters) {
    this.vertx = vertx;
    this.backoffMs = backoffMs;
    this.maxBackoffMs = maxBackoffMs;
    this.health = health;
    this.retries = Counter.builder("gridline.sink.write.retries")
        .description("decoded_data batch writes that failed and were retried").register(meters);
  }

  <T> Future<T> untilWritten(BatchContext batch, Supplier<Future<T>> attempt) {
    return attempt.get()
        .recover(err -> stopping ? Future.failedFuture(err) : later(batch, attempt, err))
        .onSuccess(v -> {
          if (health.writesFailing()) {
            health.writesRecovered();
            log.info("{} written after {} failed attempts: decoded_data writes resumed", batch, batch.failedAttempts);
          }
        });
  }

  private <T> Future<T> later(BatchContext batch, Supplier<Future<T>> attempt, Throwable err) {
    batch.failedAttempts++;
    retries.increment();
    long delay = delayAfter(batch.failedAttempts);
    String reason = "writing decoded_data failed " + batch.failedAttempts + " time(s), consumption paused, next try in "
        + delay + " ms: " + err.getMessage();
    health.writesFailing(reason);
    if (batch.failedAttempts == 1 || Long.bitCount(batch.failedAttempts) == 1) {
      // first failure and then at 2, 4, 8, … attempts: an outage does not flood the log
      log.warn("{}: {}", batch, reason);
    }
    Promise<T> retried = Promise.promise();
    pending.put(retried, vertx.setTimer(delay, t -> {
      pending.remove(retried);
      untilWritten(batch, attempt).onComplete(retried);
    }));
    return retried.future();
  }

  long delayAfter(int failedAttempts) {
    int doublings = Math.min(failedAttempts - 1, 30);
    return Math.min(maxBackoffMs, backoffMs << doublings);
  }

  /** No more retries: a batch waiting for its next attempt fails now. */
  void stop() {
    stopping = true;
    pending.forEach((promise, timer) -> {
      vertx.cancelTimer(timer);
      promise.tryFail("sink stopping while decoded_data is unreachable");
    });
    pending.clear();
  }
}
