package io.gridline.webhooks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void fullJitterUnderADoublingCap() {
    Backoff b = new Backoff(1_000, 300_000);
    for (int attempts = 1; attempts <= 60; attempts++) {
      long cap = Math.min(300_000, 1_000L << Math.min(attempts - 1, 30));
      long max = 0;
      for (int i = 0; i < 2_000; i++) {
        long d = b.delayMs(attempts);
        assertTrue(d >= 0 && d <= cap, attempts + ": " + d);
        max = Math.max(max, d);
      }
      assertTrue(max > cap / 2, "spread up to the cap at attempt " + attempts);
    }
  }
}
