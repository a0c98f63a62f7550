package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedRetryTest {
  private final Vertx vertx = Vertx.vertx();
  private final BoundedRetry retry = new BoundedRetry(vertx, new BoundedRetry.Policy(3, 1, 4));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static PgException pg(String state) {
    return new PgException("error " + state, "ERROR", state, "detail");
  }

  @Test
  void dataExceptionsAndIntegrityViolationsArePermanent() {
    assertEquals(Failures.Kind.PERMANENT, Failures.kind(pg("22021"))); // invalid byte sequence (a NUL in text)
    assertEquals(Failures.Kind.PERMANENT, Failures.kind(pg("22P05"))); // untranslatable character (NUL in jsonb)
    assertEquals(Failures.Kind.PERMANENT, Failures.kind(pg("23505")));
    assertEquals(Failures.Kind.TRANSIENT, Failures.kind(pg("P0001")));  // raised by a trigger
    assertEquals(Failures.Kind.TRANSIENT, Failures.kind(pg("57014")));  // statement timeout
    assertEquals(Failures.Kind.UNAVAILABLE, Failures.kind(pg("57P01"))); // admin shutdown
    assertEquals(Failures.Kind.UNAVAILABLE, Failures.kind(pg("53300"))); // too many connections
    assertEquals(Failures.Kind.UNAVAILABLE, Failures.kind(new ConnectException("Connection refused")));
    assertEquals(Failures.Kind.PERMANENT, Failures.kind(new RuntimeException("wrapped", pg("22001"))));
    assertEquals(Failures.Kind.UNAVAILABLE, Failures.kind(new org.apache.kafka.common.errors.NetworkException("x")));
    assertEquals(Failures.Kind.UNAVAILABLE, Failures.kind(new io.vertx.core.VertxException(
        "Connection pool reached max wait queue size of 1024")));
    // an exception nobody expected is retried a bounded number of times, never forever
    assertEquals(Failures.Kind.TRANSIENT, Failures.kind(new NullPointerException()));
    assertEquals(Failures.Kind.TRANSIENT, Failures.kind(new IllegalStateException("bug")));
  }

  @Test
  void aPermanentFailureGivesUpAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Throwable err = failure(retry.run(() -> {
      calls.incrementAndGet();
      return Future.failedFuture(pg("22021"));
    }, (e, k, n, d) -> { }));
    assertEquals(1, calls.get());
    BoundedRetry.GaveUp gaveUp = assertInstanceOf(BoundedRetry.GaveUp.class, err);
    assertEquals(BoundedRetry.GaveUp.PERMANENT_ERROR, gaveUp.reason());
  }

  @Test
  void aTransientFailureIsTriedMaxAttemptsTimes() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Throwable err = failure(retry.run(() -> {
      calls.incrementAndGet();
      return Future.failedFuture(pg("P0001"));
    }, (e, k, n, d) -> { }));
    assertEquals(3, calls.get());
    BoundedRetry.GaveUp gaveUp = assertInstanceOf(BoundedRetry.GaveUp.class, err);
    assertEquals(BoundedRetry.GaveUp.ATTEMPTS_EXHAUSTED, gaveUp.reason());
    assertEquals(3, gaveUp.attempts());
  }

  @Test
  void anUnavailableStoreIsWaitedForWithoutCountingAttempts() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String result = retry.run(() -> calls.incrementAndGet() < 10
        ? Future.<String>failedFuture(new ConnectException("Connection refused"))
        : Future.succeededFuture("written"), (e, k, n, d) -> assertEquals(0, n))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals("written", result);
    assertEquals(10, calls.get());
  }

  @Test
  void backoffDoublesUpToItsCap() {
    BoundedRetry.Policy p = new BoundedRetry.Policy(5, 100, 1000);
    assertEquals(100, p.backoffMs(1));
    assertEquals(200, p.backoffMs(2));
    assertEquals(800, p.backoffMs(4));
    assertEquals(1000, p.backoffMs(5));
    assertEquals(1000, p.backoffMs(60));
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    assertTrue(false, "expected a failure");
    return null;
  }
}
