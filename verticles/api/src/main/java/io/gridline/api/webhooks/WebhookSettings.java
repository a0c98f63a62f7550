package io.gridline.api.webhooks;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.WebhookTargets;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * What the webhook routes read from the config ({@code config/gridline.yaml}), once at start.
 *
 * @param targets        the SSRF guard ({@code webhooks.allow-http}, {@code webhooks.allow-private-targets})
 * @param secrets        seals subscription secrets under {@code secrets.encryption-key}
 * @param secretOverlap  how long the previous secret keeps signing after a rotation ({@code webhooks.secret-overlap})
 * @param replyTimeoutMs how long {@code /test} waits for the webhooks verticle: its DNS check and HTTP timeouts
 *                       ({@code webhooks.dns-timeout-ms}, {@code webhooks.timeout-ms}) plus a margin for claiming the
 *                       row and recording the outcome
 */
public record WebhookSettings(WebhookTargets targets, SecretBox secrets, Duration secretOverlap, long replyTimeoutMs) {
  static final long REPLY_MARGIN_MS = 5_000;

  public static WebhookSettings from(GridlineConfig config) {
    String overlap = config.string("webhooks.secret-overlap", "PT24H");
    Duration secretOverlap;
    try {
      secretOverlap = Duration.parse(overlap);
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("webhooks.secret-overlap must be an ISO-8601 duration such as PT24H, got " + overlap);
    }
    if (secretOverlap.isNegative()) {
      throw new IllegalStateException("webhooks.secret-overlap must not be negative, got " + overlap);
    }
    long timeoutMs = config.has("webhooks.timeout-ms") ? config.longValue("webhooks.timeout-ms") : 5_000;
    long dnsTimeoutMs = config.has("webhooks.dns-timeout-ms") ? config.longValue("webhooks.dns-timeout-ms") : 2_000;
    return new WebhookSettings(WebhookTargets.fromConfig(config),
        SecretBox.fromBase64(config.string("secrets.encryption-key")), secretOverlap,
        dnsTimeoutMs + timeoutMs + REPLY_MARGIN_MS);
  }
}
