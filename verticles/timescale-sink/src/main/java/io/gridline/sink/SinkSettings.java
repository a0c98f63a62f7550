package io.gridline.sink;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.Store;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The sink's config keys (declared in {@code config/gridline.yaml}), read once at start. */
record SinkSettings(String pgUrlKey, int batchSize, long lingerMs, Optional<Duration> retention, long retryBackoffMs,
    long maxRetryBackoffMs, int maxBatchesInFlight, int maxAttempts) {
  static final String PG_URL = "sink.pg-url";

  static SinkSettings from(GridlineConfig config) {
    // the node fills sink.pg-url from pg.url; a verticle deployed by hand may leave it out
    String urlKey = config.has(PG_URL) ? PG_URL : Store.POSTGRES.urlKey();
    int batchSize = positive(config, "sink.batch-size", 5000);
    long lingerMs = positive(config, "sink.linger-ms", 10);
    long backoff = positive(config, "sink.retry-backoff-ms", 100);
    long maxBackoff = Math.max(backoff, positive(config, "sink.max-retry-backoff-ms", 10_000));
    int inFlight = positive(config, "sink.max-batches-in-flight", 2);
    int maxAttempts = positive(config, "sink.max-attempts", 10);
    return new SinkSettings(urlKey, batchSize, lingerMs, retention(config), backoff, maxBackoff, inFlight, maxAttempts);
  }

  private static int positive(GridlineConfig config, String key, int fallback) {
    int value = config.has(key) ? config.integer(key) : fallback;
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
    return value;
  }

  private static Optional<Duration> retention(GridlineConfig config) {
    Optional<String> text = config.optString("sink.retention");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      Duration d = Duration.parse(text.get());
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("sink.retention must be a positive duration, got " + text.get());
      }
      return Optional.of(d);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "sink.retention must be an ISO-8601 duration such as P30D or PT12H (empty = keep forever), got " + text.get());
    }
  }
}
