package io.gridline.webhooks;

import io.gridline.contracts.webhooks.DeliveryOutcome;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.UntrustedText;
import io.gridline.runtime.WebhookTargets;
import io.gridline.runtime.WebhookTargets.Target;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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
 * One attempt of one claimed delivery, in order: check the target (SSRF guard, DNS off the event loop, within
 * {@code webhooks.dns-timeout-ms}), open the subscription's secrets, build the signed headers, confirm the lease still
 * covers the POST and recording its outcome, POST, then record the outcome — succeeded, or retrying with backoff, or
 * dead (with the subscription's dead streak and deactivation). Every failure along the way is an attempt that failed
 * with its reason, never an exception out of here — except a lease that cannot cover the POST: then nothing is sent
 * and nothing recorded ({@link NotSent}), as the row is, or will be, another attempt's.
 */
final class DeliveryAttempt {
  private static final Logger log = LoggerFactory.getLogger(DeliveryAttempt.class);
  private static final LogThrottle throttled = new LogThrottle(log, 5);
  /** Headers a subscription's custom headers may not set: Gridline's own and the transport's. */
  private static final Set<String> RESERVED = Set.of("content-type", "host", "content-length", "transfer-encoding",
      "connection", "upgrade", "te", "trailer", "keep-alive", "expect");

  /**
   * The attempt's result; {@code reachedEndpoint} is false when it never tried the endpoint (refused target, secret
   * that does not open, not sent): such a failure says nothing about the endpoint's health.
   */
  record Result(DeliveryOutcome outcome, boolean reachedEndpoint) {}

  /** What one attempt knows as it goes. */
  private static final class AttemptContext {
    final ClaimedDelivery delivery;
    final DeliveryLease lease;
    Target target;
    MultiMap headers;
    WebhookSender.Response response;
    boolean refused;
    boolean sent;

    AttemptContext(DeliveryLease lease) {
      this.delivery = lease.delivery();
      this.lease = lease;
    }
  }

  /**
   * The lease cannot cover the POST and recording its outcome: not sent, not recorded. Either another worker claimed the
   * row ({@code lost}), or renewing the lease failed and the row becomes due again when it ends.
   */
  private static final class NotSent extends RuntimeException {
    final boolean lost;

    NotSent(String reason, boolean lost) {
      super(reason, null, false, false);
      this.lost = lost;
    }
  }

  /** A step that failed: the attempt fails with this reason (shown to the tenant as last_error). */
  private static final class AttemptFailed extends RuntimeException {
    AttemptFailed(String reason) {
      super(reason, null, false, false);
    }
  }

  private final TargetCheck targets;
  private final SecretBox secrets;
  private final WebhookSender sender;
  private final DeliveryStore store;
  private final LeaseKeeper leases;
  private final WebhooksSettings settings;
  private final Backoff backoff;
  private final WebhooksMeters metrics;

  DeliveryAttempt(TargetCheck targets, SecretBox secrets, WebhookSender sender, DeliveryStore store,
      LeaseKeeper leases, WebhooksSettings settings, WebhooksMeters metrics) {
    this.targets = targets;
    this.secrets = secrets;
    this.sender = sender;
    this.store = store;
    this.leases = leases;
    this.settings = settings;
    this.metrics = metrics;
    backoff = new Backoff(settings.backoffBase().toMillis(), settings.backoffMax().toMillis());
  }

  /** @param lease the claimed row's lease, held (renewed) by the caller until this completes */
  Future<Result> run(DeliveryLease lease) {
    AttemptContext ctx = new AttemptContext(lease);
    return Future.succeededFuture(ctx)
        .compose(this::checkTarget)
        .map(this::signedHeaders)
        .compose(this::confirmLease)
        .compose(this::send)
        .recover(err -> failedBeforeResponse(ctx, err))
        .compose(this::recordOutcome)
        .recover(err -> err instanceof NotSent notSent ? Future.succeededFuture(notSent(ctx, notSent))
            : Future.failedFuture(err));
  }

  /** At every attempt: a subscription's host may resolve elsewhere since it was saved. */
  private Future<AttemptContext> checkTarget(AttemptContext ctx) {
    return targets.check(ctx.delivery.url()).map(target -> {
      ctx.target = target;
      return ctx;
    }).recover(err -> {
      if (err instanceof WebhookTargets.Refused refused) {
        ctx.refused = true;
        return Future.failedFuture(new AttemptFailed("target refused: " + refused.getMessage()));
      }
      return Future.failedFuture(new AttemptFailed(err instanceof TargetCheck.TimedOut ? err.getMessage()
          : "checking the target failed: " + WebhookSender.describe(err)));
    });
  }

  private AttemptContext signedHeaders(AttemptContext ctx) {
    ClaimedDelivery d = ctx.delivery;
    long timestamp = System.currentTimeMillis() / 1000;
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, Object> custom : customHeaders(d)) {
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
   * The subscription's custom headers: sealed like its secrets (with the subscription id as associated data), or the
   * plaintext ones of a subscription written before they were sealed.
   */
  private JsonObject customHeaders(ClaimedDelivery d) {
    if (d.sealedHeaders() == null) {
      return d.headers();
    }
    try {
      byte[] json = secrets.open(d.sealedHeaders(), d.subscriptionId().toString().getBytes(StandardCharsets.UTF_8));
      return new JsonObject(Buffer.buffer(json));
    } catch (RuntimeException e) {
      throw new AttemptFailed("the subscription's headers cannot be opened: " + e.getMessage());
    }
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

  /**
   * The POST goes out only while the lease covers it and recording its outcome ({@code timeout-ms} + 2 s): otherwise
   * another worker could claim the row while it is being sent. {@link LeaseKeeper} renews it as the attempt runs; when
   * that has not kept up (slow or unreachable database), one renewal now decides.
   */
  private Future<AttemptContext> confirmLease(AttemptContext ctx) {
    DeliveryLease lease = ctx.lease;
    if (lease.lost()) {
      return Future.failedFuture(new NotSent("another worker claimed it after its lease ran out", true));
    }
    if (lease.leftMs() >= settings.sendNeedsMs()) {
      return Future.succeededFuture(ctx);
    }
    return leases.renewNow(lease).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new NotSent("its lease could not be renewed (" + WebhookSender.describe(ar.cause())
            + "); it is due again when the lease ends", false));
      }
      return ar.result() ? Future.succeededFuture(ctx)
          : Future.failedFuture(new NotSent("another worker claimed it after its lease ran out", true));
    });
  }

  private Future<AttemptContext> send(AttemptContext ctx) {
    ctx.sent = true;
    return sender.post(ctx.target, ctx.headers, ctx.delivery.body()).map(response -> {
      ctx.response = response;
      return ctx;
    });
  }

  private Future<AttemptContext> failedBeforeResponse(AttemptContext ctx, Throwable err) {
    if (err instanceof NotSent) {
      return Future.failedFuture(err);
    }
    String reason = err instanceof AttemptFailed ? err.getMessage()
        : err.getClass().getSimpleName() + ": " + err.getMessage();
    ctx.response = new WebhookSender.Response(-1, reason);
    return Future.succeededFuture(ctx);
  }

  private Future<Result> recordOutcome(AttemptContext ctx) {
    return ctx.response.ok() ? recordSuccess(ctx) : recordFailure(ctx);
  }

  /** Succeeded, never sent again — written only while the row is still this attempt's (its lease token). */
  private Future<Result> recordSuccess(AttemptContext ctx) {
    ClaimedDelivery d = ctx.delivery;
    int status = ctx.response.statusCode();
    int attempts = d.attempts() + 1;
    return store.succeeded(d, status).map(held -> {
      if (held) {
        metrics.succeeded(attempts, Duration.between(d.occurredAt(), OffsetDateTime.now()));
      } else {
        leaseLostAfterSending(ctx, "HTTP " + status);
      }
      return new Result(new DeliveryOutcome(d.id(), "succeeded", attempts, status, ""), true);
    });
  }

  /** Retrying with backoff, or dead — also written only while the row is still this attempt's. */
  private Future<Result> recordFailure(AttemptContext ctx) {
    ClaimedDelivery d = ctx.delivery;
    WebhookSender.Response r = ctx.response;
    int attempts = d.attempts() + 1;
    String error = UntrustedText.storable(r.statusCode() > 0
        ? "HTTP " + r.statusCode() + (r.statusCode() / 100 == 3 ? " (redirects are not followed)" : "")
        : r.error(), 1000);
    boolean tooOld = Duration.between(d.occurredAt(), OffsetDateTime.now()).compareTo(settings.maxAge()) > 0;
    boolean dead = attempts >= settings.maxAttempts() || tooOld;
    Integer code = r.statusCode() > 0 ? r.statusCode() : null;
    return store.failed(d, dead, backoff.delayMs(attempts), code, error, settings.disableAfter()).map(recorded -> {
      if (!recorded.held()) {
        if (ctx.sent) {
          leaseLostAfterSending(ctx, error);
        } else {
          metrics.leaseLost(false);
        }
        return new Result(new DeliveryOutcome(d.id(), d.claimedStatus(), d.attempts(), r.statusCode(),
            "not recorded: another worker claimed it after its lease ran out"), ctx.sent);
      }
      metrics.failed(dead, ctx.refused, attempts);
      if (Boolean.FALSE.equals(recorded.active())) {
        log.warn("webhook subscription {} (tenant {}) deactivated: {} deliveries dead in a row (webhook.disabled)",
            d.subscriptionId(), d.tenantId(), settings.disableAfter());
      }
      if (dead) {
        log.info("{} is dead after {} attempts{}: {}", d, attempts, tooOld ? " (older than webhooks.max-age)" : "",
            UntrustedText.forLog(error));
      }
      return new Result(new DeliveryOutcome(d.id(), dead ? "dead" : "retrying", attempts, r.statusCode(), error),
          ctx.sent);
    });
  }

  /**
   * The POST went out but the row had been claimed by another worker meanwhile (this lease ran out before a renewal got
   * through): that worker sends it too, so the receiver may get it twice — what {@code X-Gridline-Delivery} is for.
   */
  private void leaseLostAfterSending(AttemptContext ctx, String answer) {
    metrics.leaseLost(true);
    throttled.warn("possible duplicate: {} was sent (answer: {}) after another worker had claimed it (this worker's "
        + "lease ran out); the outcome is left to that worker", ctx.delivery, UntrustedText.forLog(answer));
  }

  /** Nothing sent, nothing recorded: the row stays as claimed, leased until its lease ends, or it is another's. */
  private Result notSent(AttemptContext ctx, NotSent why) {
    ClaimedDelivery d = ctx.delivery;
    if (why.lost) {
      metrics.leaseLost(false);
    }
    throttled.info("{} not sent: {}", d, why.getMessage());
    return new Result(new DeliveryOutcome(d.id(), d.claimedStatus(), d.attempts(), -1, "not sent: " + why.getMessage()),
        false);
  }
}
