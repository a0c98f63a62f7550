package io.gridline.webhooks;

import io.gridline.runtime.GridlineConfig;
import java.time.Duration;

/**
 * The webhooks verticle's {@code webhooks.*} keys (declared in {@code config/gridline.yaml}), read once at start. (The
 * api reads the few it shares, for its routes, in {@code WebhookApiSettings}.)
 */
record WebhooksSettings(long timeoutMs, long dnsTimeoutMs, Duration backoffBase, Duration backoffMax, int maxAttempts,
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

  /** @throws io.gridline.runtime.InvalidSetting naming the key of a value that cannot work */
  static WebhooksSettings from(GridlineConfig config) {
    return new WebhooksSettings(
        config.positiveLong("webhooks.timeout-ms"),
        config.positiveLong("webhooks.dns-timeout-ms"),
        config.duration("webhooks.backoff-base"),
        config.duration("webhooks.backoff-max"),
        config.positiveInt("webhooks.max-attempts"),
        config.duration("webhooks.max-age"),
        config.positiveInt("webhooks.disable-after"),
        config.positiveInt("webhooks.max-concurrency-per-endpoint"),
        config.positiveInt("webhooks.concurrency"),
        config.positiveLong("webhooks.poll-interval-ms"),
        config.positiveInt("webhooks.circuit-failure-threshold"),
        config.positiveLong("webhooks.circuit-open-ms"),
        config.positiveLong("webhooks.endpoint-idle-ms"),
        config.positiveInt("webhooks.feed-max-attempts"),
        config.optString("webhooks.tls.trust-path").orElse("")); // "" = the JDK trust store only
  }
}
