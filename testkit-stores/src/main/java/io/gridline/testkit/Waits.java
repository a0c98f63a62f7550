package io.gridline.testkit;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * How tests wait: for a Vert.x future, or until a condition holds, polling every 50 ms. They block the calling (test)
 * thread, so never call them on an event loop. Vert.x is {@code provided}: every module whose tests use this has it.
 */
public final class Waits {
  /** How long {@link #await} waits for a future. */
  public static final long AWAIT_SECONDS = 30;
  private static final long POLL_MS = 50;

  private Waits() {}

  /** The future's result; its failure is thrown as is; an {@link AssertionError} when it is not done within 30 s. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + AWAIT_SECONDS + " s", e);
    }
  }

  /** Polls {@code condition} until it holds; an {@link AssertionError} naming {@code what} after {@code timeoutMs}. */
  public static void until(String what, long timeoutMs, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      sleep(POLL_MS);
    }
  }

  /** {@link Thread#sleep}, an interrupt turned into an {@link AssertionError} (the interrupt flag kept). */
  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
