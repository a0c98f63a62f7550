package io.gridline.webhooks;

import io.gridline.contracts.webhooks.DeliveryOutcome;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.WebhookTargets;
import io.gridline.runtime.WebhookTargets.Target;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one claimed delivery, in order: check the target (SSRF guard, DNS off the event loop), open the
 * subscription's secrets, build the signed headers, POST, then record the outcome — succeeded, or retrying with
 * backoff, or dead (with the subscription's dead streak and deactivation). Every failure along the way is an attempt
 * that failed with its reason, never an exception out of here.
 */
final class DeliveryAttempt {
  private static final Logger log = LoggerFactory.getLogger(DeliveryAttempt.class);
  /** Headers a subscription's custom headers may not set: Gridline's own and the transport's. */
  private static final Set<String> RESERVED = Set.of("content-type", "host", "content-length", "transfer-encoding",
      "connection", "upgrade", "te", "trailer", "keep-alive", "expect");

  /**
   * The attempt's result; {@code reachedEndpoint} is false when it never tried the endpoint (refused target, secret
   * that does not open): such a failure says nothing about the endpoint's health.
   */
  record Result(DeliveryOutcome outcome, boolean reachedEndpoint) {}

  /** What one attempt knows as it goes. */
  private static final class AttemptContext {
    final ClaimedDelivery delivery;
    Target target;
    MultiMap headers;
    WebhookSender.Response response;
    boolean refused;
    boolean sent;

    AttemptContext(ClaimedDelivery delivery) {
      this.delivery = delivery;
    }
  }

  /** A step that failed: the attempt fails with this reason (shown to the tenant as last_error). */
  private static final class AttemptFailed extends RuntimeException {
    AttemptFailed(String reason) {
      super(reason, null, false, false);
    }
  }

  private final Vertx vertx;
  private final WebhookTargets targets;
  private final SecretBox secrets;
  private final WebhookSender sender;
  private final DeliveryStore store;
  private final WebhookSettings settings;
  private final Backoff backoff;
  private final WebhookMetrics metrics;

  DeliveryAttempt(Vertx vertx, WebhookTargets targets, SecretBox secrets, WebhookSender sender, DeliveryStore store,
      WebhookSettings settings, WebhookMetrics metrics) {
    this.vertx = vertx;
    this.targets = targets;
    this.secrets = secrets;
    this.sender = sender;
    this.store = store;
    this.settings = settings;
    this.metrics = metrics;
    backoff = new Backoff(settings.backoffBase().toMillis(), settings.backoffMax().toMillis());
  }

  Future<Result> run(ClaimedDelivery delivery) {
    AttemptContext ctx = new AttemptContext(delivery);
    return Future.succeededFuture(ctx)
        .compose(this::checkTarget)
        .map(this::signedHeaders)
        .compose(this::send)
        .recover(err -> failedBeforeResponse(ctx, err))
        .compose(this::recordOutcome);
  }

  /** At every attempt: a subscription's host may resolve elsewhere since it was saved. */
  private Future<AttemptContext> checkTarget(AttemptContext ctx) {
    return vertx.executeBlocking(() -> {
      try {
        ctx.target = targets.check(ctx.delivery.url());
        return ctx;
      } catch (WebhookTargets.Refused refused) {
        ctx.refused = true;
        throw new AttemptFailed("target refused: " + refused.getMessage());
      }
    }, false);
  }

  private AttemptContext signedHeaders(AttemptContext ctx) {
    ClaimedDelivery d = ctx.delivery;
    long timestamp = System.currentTimeMillis() / 1000;
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, Object> custom : d.headers()) {
      String name = custom.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      if (!RESERVED.contains(lower) && !lower.startsWith("x-gridline-") && custom.getValue() != null) {
        h.set(name, String.valueOf(custom.getValue()));
      }
    }
    h.set("Content-Type", "application/json");
    h.set("X-Gridline-Event", d.eventType());
    h.set("X-Gridline-Delivery", d.eventId().toString());
    h.set("X-Gridline-Timestamp", Long.toString(timestamp));
    h.set("X-Gridline-Signature", WebhookSignature.header(signingSecrets(d), timestamp, d.body()));
    ctx.headers = h;
    return ctx;
  }

  /**
   * The current secret, then the previous one while its rotation overlap lasts. Sealed with the subscription id as
   * associated data (as the API seals them), so a ciphertext copied to another subscription does not open.
   */
  private List<byte[]> signingSecrets(ClaimedDelivery d) {
    byte[] aad = d.subscriptionId().toString().getBytes(StandardCharsets.UTF_8);
    List<byte[]> out = new ArrayList<>(2);
    try {
      out.add(secrets.open(d.secret(), aad));
      if (d.previousSecret() != null && d.previousSecretUntil() != null
          && d.previousSecretUntil().isAfter(OffsetDateTime.now())) {
        out.add(secrets.open(d.previousSecret(), aad));
      }
    } catch (IllegalArgumentException e) {
      throw new AttemptFailed("the subscription's secret cannot be opened: " + e.getMessage());
    }
    return out;
  }

  private Future<AttemptContext> send(AttemptContext ctx) {
    ctx.sent = true;
    return sender.post(ctx.target, ctx.headers, ctx.delivery.body()).map(response -> {
      ctx.response = response;
      return ctx;
    });
  }

  private Future<AttemptContext> failedBeforeResponse(AttemptContext ctx, Throwable err) {
    String reason = err instanceof AttemptFailed ? err.getMessage()
        : err.getClass().getSimpleName() + ": " + err.getMessage();
    ctx.response = new WebhookSender.Response(-1, reason);
    return Future.succeededFuture(ctx);
  }

  private Future<Result> recordOutcome(AttemptContext ctx) {
    ClaimedDelivery d = ctx.delivery;
    WebhookSender.Response r = ctx.response;
    int attempts = d.attempts() + 1;
    if (r.ok()) {
      return store.succeeded(d, r.statusCode()).map(v -> {
        metrics.succeeded(attempts, Duration.between(d.occurredAt(), OffsetDateTime.now()));
        return new Result(new DeliveryOutcome(d.id(), "succeeded", attempts, r.statusCode(), ""), true);
      });
    }
    String error = r.statusCode() > 0 ? "HTTP " + r.statusCode() + (r.statusCode() / 100 == 3 ? " (redirects are not followed)" : "")
        : r.error();
    boolean tooOld = Duration.between(d.occurredAt(), OffsetDateTime.now()).compareTo(settings.maxAge()) > 0;
    boolean dead = attempts >= settings.maxAttempts() || tooOld;
    long retryIn = backoff.delayMs(attempts);
    Integer code = r.statusCode() > 0 ? r.statusCode() : null;
    return store.failed(d, dead, retryIn, code, truncate(error), settings.disableAfter()).map(active -> {
      metrics.failed(dead, ctx.refused, attempts);
      if (Boolean.FALSE.equals(active)) {
        log.warn("webhook subscription {} (tenant {}) deactivated: {} deliveries dead in a row (webhook.disabled)",
            d.subscriptionId(), d.tenantId(), settings.disableAfter());
      }
      if (dead) {
        log.info("{} is dead after {} attempts{}: {}", d, attempts, tooOld ? " (older than webhooks.max-age)" : "",
            error);
      }
      return new Result(new DeliveryOutcome(d.id(), dead ? "dead" : "retrying", attempts, r.statusCode(), error),
          ctx.sent);
    });
  }

  private static String truncate(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 1000);
  }
}
