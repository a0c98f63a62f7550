package io.gridline.runtime;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The retry rule for a record (or a batch) whose write failed, shared by every flow that holds a Kafka partition's
 * commit while it writes: a {@link Failures.Kind#PERMANENT} failure gives up at once; a {@link Failures.Kind#TRANSIENT}
 * one is retried with doubling backoff until {@code maxAttempts} attempts failed; an
 * {@link Failures.Kind#UNAVAILABLE} store is waited for (backoff capped, attempts not counted), since no record can get
 * through it and holding the partition is the back-pressure. Giving up fails the future with {@link GaveUp}, which the
 * caller turns into a parked record. Stopping ends the waiting: the pending attempt fails with its last error.
 */
public final class BoundedRetry {
  /** The retry limits of one flow. */
  public record Policy(int maxAttempts, long firstBackoffMs, long maxBackoffMs) {
    public Policy {
      if (maxAttempts < 1 || firstBackoffMs < 1 || maxBackoffMs < firstBackoffMs) {
        throw new IllegalArgumentException("maxAttempts >= 1, 1 <= firstBackoffMs <= maxBackoffMs");
      }
    }

    /** The wait after the {@code failures}-th failure. */
    public long backoffMs(int failures) {
      int doublings = Math.min(Math.max(failures - 1, 0), 30);
      return Math.min(maxBackoffMs, firstBackoffMs << doublings);
    }
  }

  /** Why a write was given up: the reason code for the parked record, the last error and the attempts made. */
  public static final class GaveUp extends RuntimeException {
    public static final String PERMANENT_ERROR = "permanent-error";
    public static final String ATTEMPTS_EXHAUSTED = "attempts-exhausted";
    private final String reason;
    private final int attempts;

    GaveUp(String reason, Throwable last, int attempts) {
      super(reason + " after " + attempts + " attempt(s): " + Failures.describe(last), last, false, false);
      this.reason = reason;
      this.attempts = attempts;
    }

    public String reason() {
      return reason;
    }

    public int attempts() {
      return attempts;
    }
  }

  /** Told about every failure before the next attempt (for logs, readiness and metrics). */
  public interface Listener {
    void failed(Throwable err, Failures.Kind kind, int counted, long nextInMs);
  }

  private final Vertx vertx;
  private final Policy policy;
  private volatile boolean stopping;
  /** Attempts waiting for their next try, with their timers: stopping fails them at once. */
  private final java.util.Map<Promise<?>, Long> waiting = new java.util.concurrent.ConcurrentHashMap<>();

  public BoundedRetry(Vertx vertx, Policy policy) {
    this.vertx = vertx;
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  /** Runs {@code attempt} under the rule; fails with {@link GaveUp} when the record is to be parked. */
  public <T> Future<T> run(Supplier<Future<T>> attempt, Listener listener) {
    return attempt(attempt, listener, 0, 0);
  }

  /**
   * No more waiting: attempts waiting for their next try fail now, and those that fail later are not retried (their
   * records stay uncommitted, for whoever consumes next).
   */
  public void stop() {
    stopping = true;
    waiting.forEach((promise, timer) -> {
      vertx.cancelTimer(timer);
      promise.tryFail("stopping before the write succeeded");
    });
    waiting.clear();
  }

  private <T> Future<T> attempt(Supplier<Future<T>> attempt, Listener listener, int counted, int waits) {
    Future<T> tried;
    try {
      tried = attempt.get();
    } catch (RuntimeException e) {
      tried = Future.failedFuture(e);
    }
    return tried.recover(err -> {
      if (err instanceof GaveUp) {
        return Future.failedFuture(err);
      }
      Failures.Kind kind = Failures.kind(err);
      if (kind == Failures.Kind.PERMANENT) {
        return Future.failedFuture(new GaveUp(GaveUp.PERMANENT_ERROR, err, counted + 1));
      }
      int nowCounted = kind == Failures.Kind.TRANSIENT ? counted + 1 : counted;
      if (nowCounted >= policy.maxAttempts()) {
        return Future.failedFuture(new GaveUp(GaveUp.ATTEMPTS_EXHAUSTED, err, nowCounted));
      }
      if (stopping) {
        return Future.failedFuture(err);
      }
      long delay = policy.backoffMs(waits + 1);
      listener.failed(err, kind, nowCounted, delay);
      Promise<T> later = Promise.promise();
      waiting.put(later, vertx.setTimer(delay, t -> {
        waiting.remove(later);
        attempt(attempt, listener, nowCounted, waits + 1).onComplete(later);
      }));
      return later.future();
    });
  }
}
