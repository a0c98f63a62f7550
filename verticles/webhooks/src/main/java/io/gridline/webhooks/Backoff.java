package io.gridline.webhooks;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delay with full jitter: uniformly random in {@code [0, min(max, base × 2^(attempts−1))]}, so receivers that
 * failed together do not get their retries back in one burst.
 */
final class Backoff {
  private final long baseMs;
  private final long maxMs;

  Backoff(long baseMs, long maxMs) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
  }

  /** @param attempts attempts made so far, including the one that just failed (≥ 1) */
  long delayMs(int attempts) {
    int doublings = Math.max(0, Math.min(attempts - 1, 40));
    long cap = baseMs > (maxMs >> doublings) ? maxMs : Math.min(maxMs, baseMs << doublings);
    return ThreadLocalRandom.current().nextLong(cap + 1);
  }
}
