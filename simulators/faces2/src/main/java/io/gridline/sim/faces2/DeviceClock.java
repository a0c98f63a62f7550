package io.gridline.sim.faces2;

import java.time.Clock;
import java.time.Instant;

/**
 * One device's millisecond timestamps, strictly increasing: the platform deduplicates readings on (device, timestamp,
 * field), so two publishes of a device must never share a millisecond. Beyond 1,000 publishes/s the timestamps run
 * ahead of the wall clock rather than repeat.
 */
final class DeviceClock {
  private final Clock clock;
  private long lastMillis = Long.MIN_VALUE;

  DeviceClock(Clock clock) {
    this.clock = clock;
  }

  synchronized Instant next() {
    lastMillis = Math.max(clock.millis(), lastMillis + 1);
    return Instant.ofEpochMilli(lastMillis);
  }
}
