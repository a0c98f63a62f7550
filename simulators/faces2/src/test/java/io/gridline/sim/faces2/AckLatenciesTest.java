package io.gridline.sim.faces2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AckLatenciesTest {

  @Test
  void percentilesAreWithinOnePercent() {
    AckLatencies latencies = new AckLatencies();
    for (int ms = 1; ms <= 100; ms++) {
      latencies.record(ms * 1_000_000L);
    }
    assertEquals(50, latencies.percentileMillis(0.50), 0.5);
    assertEquals(99, latencies.percentileMillis(0.99), 1.0);
  }

  @Test
  void noSamplesIsNaN() {
    assertTrue(Double.isNaN(new AckLatencies().percentileMillis(0.5)));
  }

  @Test
  void summaryNamesEveryCount() {
    Progress progress = new Progress();
    progress.start();
    progress.sent();
    progress.sent();
    progress.acked(2_000_000);
    progress.failed();
    String summary = progress.summary();
    assertTrue(summary.startsWith("summary: sent 2 acked 1 failed 1 unacknowledged 0"), summary);
    assertTrue(summary.contains("ack latency p50 2.0 ms p99 2.0 ms"), summary);
  }
}
