package io.gridline.webhooks;

import io.gridline.runtime.WebhookTargets;
import io.gridline.runtime.WebhookTargets.Target;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * The SSRF guard at delivery, within a time limit: {@link WebhookTargets#check} resolves the URL's host, which blocks,
 * so it runs on the webhooks' own small worker pool (a hanging resolver then holds those threads, never the event loop
 * nor the shared worker pool), and the attempt stops waiting after {@code webhooks.dns-timeout-ms} — the check must
 * fit in the attempt's lease. A check still queued when its time is up is not run at all.
 */
final class TargetCheck {
  /** The check did not finish within {@code webhooks.dns-timeout-ms}. */
  static final class TimedOut extends RuntimeException {
    TimedOut(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final WebhookTargets targets;
  private final WorkerExecutor workers;
  private final long timeoutMs;

  TargetCheck(Vertx vertx, WebhookTargets targets, WorkerExecutor workers, long timeoutMs) {
    this.vertx = vertx;
    this.targets = targets;
    this.workers = workers;
    this.timeoutMs = timeoutMs;
  }

  /** Fails with {@link WebhookTargets.Refused} (the reason is safe to show) or {@link TimedOut}. */
  Future<Target> check(String url) {
    Promise<Target> done = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> done.tryFail(new TimedOut(
        "checking the target took longer than " + timeoutMs + " ms (webhooks.dns-timeout-ms): its host did not resolve "
            + "in time")));
    workers.<Target>executeBlocking(() -> done.future().isComplete() ? null : targets.check(url), false)
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          if (ar.succeeded()) {
            done.tryComplete(ar.result());
          } else {
            done.tryFail(ar.cause());
          }
        });
    return done.future();
  }
}
