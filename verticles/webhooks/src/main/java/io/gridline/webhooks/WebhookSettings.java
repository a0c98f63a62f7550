package io.gridline.webhooks;

import io.gridline.runtime.GridlineConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The {@code webhooks.*} keys (declared in {@code config/gridline.yaml}), read once at start. */
record WebhookSettings(long timeoutMs, Duration backoffBase, Duration backoffMax, int maxAttempts, Duration maxAge,
    int disableAfter, int maxConcurrencyPerEndpoint, int concurrency, long pollIntervalMs, int circuitFailureThreshold,
    long circuitOpenMs, String trustPath) {

  /**
   * How long a claimed row stays invisible to other workers while its attempt runs: the HTTP timeout plus room for the
   * DNS check and recording the outcome. A node that dies mid-attempt leaves the row to be retried after this.
   */
  long leaseMs() {
    return timeoutMs + 5_000;
  }

  static WebhookSettings from(GridlineConfig config) {
    return new WebhookSettings(
        positive(config, "webhooks.timeout-ms", 5000),
        duration(config, "webhooks.backoff-base", "PT1S"),
        duration(config, "webhooks.backoff-max", "PT5M"),
        (int) positive(config, "webhooks.max-attempts", 10),
        duration(config, "webhooks.max-age", "PT24H"),
        (int) positive(config, "webhooks.disable-after", 20),
        (int) positive(config, "webhooks.max-concurrency-per-endpoint", 4),
        (int) positive(config, "webhooks.concurrency", 64),
        positive(config, "webhooks.poll-interval-ms", 200),
        (int) positive(config, "webhooks.circuit-failure-threshold", 5),
        positive(config, "webhooks.circuit-open-ms", 30_000),
        config.string("webhooks.tls.trust-path", "").trim());
  }

  private static long positive(GridlineConfig config, String key, long fallback) {
    long value = config.has(key) ? config.longValue(key) : fallback;
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
    return value;
  }

  private static Duration duration(GridlineConfig config, String key, String fallback) {
    String text = config.string(key, fallback);
    try {
      Duration d = Duration.parse(text);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(key + " must be a positive duration, got " + text);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT1S or PT5M, got " + text);
    }
  }
}
