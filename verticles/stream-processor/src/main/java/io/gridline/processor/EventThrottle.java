package io.gridline.processor;

import java.util.HashMap;
import java.util.Map;

/**
 * At most one {@code telemetry.decoded} event per device per interval: the event says "this device sends data", not
 * every reading (those are on the decoded topic). Per process, so N processors may each emit one per interval.
 */
final class EventThrottle {
  private final long intervalMillis;
  private final Map<Long, Long> lastEmitted = new HashMap<>();

  EventThrottle(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  /** True (and remembered) when {@code deviceId} may emit an event at {@code nowMillis}. */
  boolean tryAcquire(long deviceId, long nowMillis) {
    if (intervalMillis <= 0) {
      return true;
    }
    Long last = lastEmitted.get(deviceId);
    if (last != null && nowMillis - last < intervalMillis) {
      return false;
    }
    lastEmitted.put(deviceId, nowMillis);
    if (lastEmitted.size() > 100_000) {
      lastEmitted.values().removeIf(t -> nowMillis - t >= intervalMillis);
    }
    return true;
  }
}
