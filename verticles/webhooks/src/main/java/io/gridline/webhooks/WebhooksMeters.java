package io.gridline.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** What the delivery workers count (the per-endpoint circuit gauges live in {@link EndpointGate}). */
final class WebhooksMeters {
  private final MeterRegistry meters;
  private final Counter succeeded;
  private final Counter retry;
  private final Counter dead;
  private final Counter refused;
  private final Counter leaseLostUnsent;
  private final Counter leaseLostSent;
  private final DistributionSummary attempts;
  private final Timer latency;
  private final AtomicLong backlog = new AtomicLong();
  private final Gauge backlogGauge;

  WebhooksMeters(MeterRegistry meters, String instance) {
    this.meters = meters;
    succeeded = outcome("succeeded");
    retry = outcome("retry");
    dead = outcome("dead");
    refused = outcome("refused");
    leaseLostUnsent = leaseLost("false");
    leaseLostSent = leaseLost("true");
    attempts = DistributionSummary.builder("gridline.webhooks.delivery.attempts")
        .description("attempts a delivery took, counted when it succeeded or went dead").publishPercentileHistogram()
        .register(meters);
    latency = Timer.builder("gridline.webhooks.latency").description("event occurredAt → the receiver's 2xx")
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(meters);
    backlogGauge = Gauge.builder("gridline.webhooks.backlog", backlog, AtomicLong::get)
        .description("deliveries due now and not yet attempted (pending or retrying), sampled periodically")
        .tag("instance", instance).strongReference(true).register(meters);
  }

  private Counter outcome(String outcome) {
    return Counter.builder("gridline.webhooks.deliveries")
        .description("delivery attempts by outcome (refused = the SSRF guard refused the target at delivery; such an "
            + "attempt also counts as retry or dead)")
        .tag("outcome", outcome).register(meters);
  }

  private Counter leaseLost(String sent) {
    return Counter.builder("gridline.webhooks.lease.lost")
        .description("attempts whose row another worker claimed after their lease ran out; sent=true: the POST had "
            + "gone out, a possible duplicate (receivers deduplicate on X-Gridline-Delivery)")
        .tag("sent", sent).register(meters);
  }

  void succeeded(int attemptsTaken, Duration sinceEvent) {
    succeeded.increment();
    attempts.record(attemptsTaken);
    latency.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
  }

  void failed(boolean wentDead, boolean wasRefused, int attemptsTaken) {
    if (wasRefused) {
      refused.increment();
    }
    if (wentDead) {
      dead.increment();
      attempts.record(attemptsTaken);
    } else {
      retry.increment();
    }
  }

  /** @param sent whether this attempt had sent its POST: then the receiver may get the delivery twice */
  void leaseLost(boolean sent) {
    (sent ? leaseLostSent : leaseLostUnsent).increment();
  }

  void backlog(long due) {
    backlog.set(due);
  }

  void close() {
    meters.remove(backlogGauge);
  }
}
