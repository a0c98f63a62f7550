package io.gridline.processor;

import io.gridline.runtime.GridlineConfig;
import java.time.Duration;

/** The stream-processor's config keys (declared with defaults in {@code config/gridline.yaml}). */
record ProcessorSettings(int maxInFlight, long eventsPerDeviceIntervalMs, long cacheTtlSeconds, int dlqMaxRowsPerTenant,
    Duration dlqMaxAge, long modelsRefreshMs, long commitIntervalMs, int maxAttempts) {

  /** @throws io.gridline.runtime.InvalidSetting naming the key of a value that cannot work */
  static ProcessorSettings from(GridlineConfig c) {
    return new ProcessorSettings(
        c.positiveInt("processor.max-in-flight"),
        c.nonNegativeLong("processor.events-per-device-interval-ms"), // 0 = an event for every message
        c.positiveLong(io.gridline.runtime.device.DeviceDirectory.TTL_KEY), // the device directory's, in every verticle
        c.positiveInt("processor.dlq-max-rows-per-tenant"),
        c.duration("processor.dlq-max-age"),
        c.positiveLong("processor.models-refresh-ms"),
        c.positiveLong("processor.commit-interval-ms"),
        c.positiveInt("processor.max-attempts"));
  }
}
