package io.gridline.webhooks;

import io.gridline.runtime.GridlineConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The {@code webhooks.*} keys (declared in {@code config/gridline.yaml}), read once at start. */
record WebhookSettings(long timeoutMs, long dnsTimeoutMs, Duration backoffBase, Duration backoffMax, int maxAttempts,
    Duration maxAge, int disableAfter, int maxConcurrencyPerEndpoint, int concurrency, long pollIntervalMs,
    int circuitFailureThreshold, long circuitOpenMs, long endpointIdleMs, int feedMaxAttempts, String trustPath) {
  /** What a lease must still cover once the POST's timeout is over: recording the outcome. */
  static final long RECORD_MS = 2_000;

  /**
   * How long a claim (or a renewal) keeps a row invisible to other workers: the DNS check, the HTTP timeout and room to
   * record the outcome. The worker renews it while the attempt runs ({@link #renewEveryMs()}); a node that dies
   * mid-attempt leaves the row to be retried once this has passed since the last renewal.
   */
  long leaseMs() {
    return dnsTimeoutMs + timeoutMs + 5_000;
  }

  /** How often the leases of attempts in flight are renewed: three times per lease, so one lost renewal is harmless. */
  long renewEveryMs() {
    return leaseMs() / 3;
  }

  /** The lease an attempt must still hold when its POST starts: the HTTP timeout plus recording the outcome. */
  long sendNeedsMs() {
    return timeoutMs + RECORD_MS;
  }

  /** The lease a claimed row must still hold to start its attempt: the DNS check, then what the POST needs. */
  long startNeedsMs() {
    return dnsTimeoutMs + sendNeedsMs();
  }

  /** How long stopping waits for attempts in flight (a whole attempt, then they are left to their lease). */
  long stopGraceMs() {
    return dnsTimeoutMs + timeoutMs + 1_000;
  }

  static WebhookSettings from(GridlineConfig config) {
    return new WebhookSettings(
        positive(config, "webhooks.timeout-ms", 5000),
        positive(config, "webhooks.dns-timeout-ms", 2000),
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
        positive(config, "webhooks.endpoint-idle-ms", 600_000),
        (int) positive(config, "webhooks.feed-max-attempts", 5),
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
