package io.gridline.sink;

import io.gridline.runtime.BoundedRetry;
import io.gridline.runtime.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a batch's write under the shared {@link BoundedRetry} rule, backoff {@code sink.retry-backoff-ms} doubling up
 * to {@code sink.max-retry-backoff-ms}: the same rows, so nothing is lost or reordered, and nothing is committed to
 * Kafka meanwhile. A database that cannot be reached is waited for (readiness says why); one that refuses the rows
 * for good (SQLSTATE 22/23), or keeps failing them {@code sink.max-attempts} times, makes the write give up with
 * {@link BoundedRetry.GaveUp} so {@link RefusedRecords} can find and park the records it refuses. Once stopping, a
 * failure is final: the batch's records stay uncommitted and are redelivered to whoever consumes next.
 */
final class WriteRetry {
  private static final Logger log = LoggerFactory.getLogger(WriteRetry.class);
  private final Vertx vertx;
  private final BoundedRetry retry;
  /** Used while isolating refused records: one try per part (the whole batch already had its attempts). */
  private final BoundedRetry once;
  private final SinkHealth health;
  private final Counter retries;
  private volatile boolean stopping;

  WriteRetry(Vertx vertx, long backoffMs, long maxBackoffMs, int maxAttempts, SinkHealth health, MeterRegistry meters) {
    this.vertx = vertx;
    this.retry = new BoundedRetry(vertx, new BoundedRetry.Policy(maxAttempts, backoffMs, maxBackoffMs));
    this.once = new BoundedRetry(vertx, new BoundedRetry.Policy(1, backoffMs, maxBackoffMs));
    this.health = health;
    this.retries = Counter.builder("gridline.sink.write.retries")
        .description("decoded_data batch writes that failed and were retried").register(meters);
  }

  <T> Future<T> untilWritten(BatchContext batch, Supplier<Future<T>> attempt) {
    return written(retry, batch, attempt);
  }

  /** One write of part of a batch that was given up on; an unreachable database is still waited for. */
  <T> Future<T> onceWritten(BatchContext batch, Supplier<Future<T>> attempt) {
    return written(once, batch, attempt);
  }

  /**
   * Parks a record: Kafka not taking it is waited for, and even a refusal is tried again (logged) — a record that can be
   * neither stored nor parked holds its batch until stopping, rather than being committed past and lost.
   */
  Future<Void> untilParked(BatchContext batch, Supplier<Future<Void>> park) {
    return retry.run(park, (err, kind, counted, delayMs) -> log.warn("{}: parking a record failed ({}), retrying in {} ms",
            batch, Failures.describe(err), delayMs))
        .recover(err -> {
          if (stopping) {
            return Future.failedFuture(err);
          }
          log.error("{}: a record could not be parked ({}); trying again", batch, Failures.describe(err));
          io.vertx.core.Promise<Void> again = io.vertx.core.Promise.promise();
          vertx.setTimer(retry.policy().maxBackoffMs(), t -> untilParked(batch, park).onComplete(again));
          return again.future();
        });
  }

  private <T> Future<T> written(BoundedRetry rule, BatchContext batch, Supplier<Future<T>> attempt) {
    return rule.run(attempt, (err, kind, counted, delayMs) -> failed(batch, err, kind, delayMs))
        .onSuccess(v -> {
          if (health.writesFailing()) {
            health.writesRecovered();
            log.info("{} written after {} failed attempts: decoded_data writes resumed", batch, batch.failedAttempts);
          }
        });
  }

  private void failed(BatchContext batch, Throwable err, Failures.Kind kind, long delayMs) {
    batch.failedAttempts++;
    retries.increment();
    String reason = "writing decoded_data failed " + batch.failedAttempts + " time(s) (" + kind.name().toLowerCase()
        + "), consumption paused, next try in " + delayMs + " ms: " + Failures.describe(err);
    health.writesFailing(reason);
    if (batch.failedAttempts == 1 || Long.bitCount(batch.failedAttempts) == 1) {
      // first failure and then at 2, 4, 8, … attempts: an outage does not flood the log
      log.warn("{}: {}", batch, reason);
    }
  }

  /** The wait after the {@code failedAttempts}-th failure. */
  long delayAfter(int failedAttempts) {
    return retry.policy().backoffMs(failedAttempts);
  }

  /** No more retries: a batch waiting for its next attempt fails now. */
  void stop() {
    stopping = true;
    retry.stop();
    once.stop();
  }
}
