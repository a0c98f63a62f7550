package io.gridline.api.webhooks;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.WebhookTargets;
import java.time.Duration;

/**
 * What the webhook routes read from the config ({@code config/gridline.yaml}), once at start: the api's view of the
 * {@code webhooks.*} keys (the webhooks verticle reads its own in {@code WebhooksSettings}).
 *
 * @param targets        the SSRF guard ({@code webhooks.allow-http}, {@code webhooks.allow-private-targets})
 * @param secrets        seals subscription secrets under {@code secrets.encryption-key}
 * @param secretOverlap  how long the previous secret keeps signing after a rotation ({@code webhooks.secret-overlap})
 * @param replyTimeoutMs how long {@code /test} waits for the webhooks verticle: its DNS check and HTTP timeouts
 *                       ({@code webhooks.dns-timeout-ms}, {@code webhooks.timeout-ms}) plus a margin for claiming the
 *                       row and recording the outcome
 */
public record WebhookApiSettings(WebhookTargets targets, SecretBox secrets, Duration secretOverlap, long replyTimeoutMs) {
  public static final long REPLY_MARGIN_MS = 5_000;

  /** @throws io.gridline.runtime.InvalidSetting naming the key of a value that cannot work */
  public static WebhookApiSettings from(GridlineConfig config) {
    return new WebhookApiSettings(WebhookTargets.fromConfig(config),
        SecretBox.fromBase64(config.string("secrets.encryption-key")),
        config.nonNegativeDuration("webhooks.secret-overlap"),
        config.positiveLong("webhooks.dns-timeout-ms") + config.positiveLong("webhooks.timeout-ms") + REPLY_MARGIN_MS);
  }
}
