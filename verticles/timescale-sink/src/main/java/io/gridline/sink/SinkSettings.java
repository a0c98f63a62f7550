package io.gridline.sink;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.Store;
import java.time.Duration;
import java.util.Optional;

/** The sink's config keys (declared in {@code config/gridline.yaml}), read once at start. */
record SinkSettings(String pgUrlKey, int batchSize, long lingerMs, Optional<Duration> retention, long retryBackoffMs,
    long maxRetryBackoffMs, int maxBatchesInFlight, int maxAttempts) {
  static final String PG_URL = "sink.pg-url";

  /** @throws io.gridline.runtime.InvalidSetting naming the key of a value that cannot work */
  static SinkSettings from(GridlineConfig config) {
    // sink.pg-url empty = the time series lives beside the metadata (the node fills it from pg.url)
    String urlKey = config.optString(PG_URL).isPresent() ? PG_URL : Store.POSTGRES.urlKey();
    long backoff = config.positiveLong("sink.retry-backoff-ms");
    return new SinkSettings(urlKey,
        config.positiveInt("sink.batch-size"),
        config.positiveLong("sink.linger-ms"),
        config.optDuration("sink.retention"), // empty = keep forever
        backoff,
        Math.max(backoff, config.positiveLong("sink.max-retry-backoff-ms")),
        config.positiveInt("sink.max-batches-in-flight"),
        config.positiveInt("sink.max-attempts"));
  }
}
