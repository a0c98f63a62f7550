package io.gridline.processor;

import io.gridline.runtime.GridlineConfig;
import java.time.Duration;

/** The stream-processor's config keys (declared with defaults in {@code config/gridline.yaml}). */
record ProcessorSettings(int maxInFlight, long eventsPerDeviceIntervalMs, int dlqMaxRowsPerTenant,
    Duration dlqMaxAge, long modelsRefreshMs, long commitIntervalMs, int maxAttempts) {

  static ProcessorSettings from(GridlineConfig c) {
    return new ProcessorSettings(
        c.has("processor.max-in-flight") ? c.integer("processor.max-in-flight") : 2000,
        c.has("processor.events-per-device-interval-ms") ? c.longValue("processor.events-per-device-interval-ms") : 60_000,
        c.has("processor.dlq-max-rows-per-tenant") ? c.integer("processor.dlq-max-rows-per-tenant") : 1000,
        Duration.parse(c.string("processor.dlq-max-age", "P7D")),
        c.has("processor.models-refresh-ms") ? c.longValue("processor.models-refresh-ms") : 60_000,
        c.has("processor.commit-interval-ms") ? c.longValue("processor.commit-interval-ms") : 1_000,
        c.has("processor.max-attempts") ? c.integer("processor.max-attempts") : 10);
  }
}
