package io.gridline.webhooks;

import io.gridline.contracts.webhooks.DeliveryOutcome;
import io.gridline.runtime.WebhookTargets;
import io.gridline.webhooks.DeliveryStore.Reschedule;
import io.gridline.webhooks.EndpointGate.Admission;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery workers of one verticle instance: claims due rows while it has free slots ({@code webhooks.concurrency})
 * and admits each through its endpoint's gate. Rows of endpoints without a free slot or with an open circuit are not
 * claimed at all (their URLs are excluded from the claim), so a slow or dead endpoint never takes the slots of the
 * others. Rows a claim brings for an endpoint whose slots are taken wait here, leased, in a per-endpoint queue and
 * start as its slots free (no database round trip per delivery: a claim serves many), as long as their lease leaves
 * room for a whole attempt — one whose lease runs short is dropped and simply becomes due again when the lease ends.
 * Once an attempt starts, {@link LeaseKeeper} holds its row's lease until the outcome is recorded.
 * Rows of an endpoint whose circuit opened are handed back for the circuit's open time (postponed without counting an
 * attempt). Deliveries of one subscription for one device go out one at a time in outbox order:
 * a lane with an attempt in flight is excluded from the claim, and a second row of the same lane in one claim is
 * handed back. Runs on the verticle's event loop only.
 */
final class DeliveryScheduler {
  private static final Logger log = LoggerFactory.getLogger(DeliveryScheduler.class);
  private static final int MAX_CLAIM = 64;
  private final Vertx vertx;
  private final DeliveryStore store;
  private final DeliveryAttempt attempt;
  private final LeaseKeeper leases;
  private final EndpointGate gate;
  private final WebhookTargets targets;
  private final int concurrency;
  private final long pollIntervalMs;
  private final long endpointIdleMs;
  /** lane → the delivery in flight there */
  private final Map<String, Long> lanes = new HashMap<>();
  /** delivery id → its attempt's result, while in flight */
  private final Map<Long, Future<DeliveryAttempt.Result>> inFlight = new HashMap<>();
  /** endpoint → claimed rows waiting for one of its slots, in claim (outbox) order */
  private final Map<String, ArrayDeque<ClaimedDelivery>> waiting = new HashMap<>();
  /** delivery id → the endpoint whose queue holds it */
  private final Map<Long, String> waitingIds = new HashMap<>();
  /** a queued row starts only with at least this much of its lease left: a whole attempt plus recording it */
  private final long startNeedsMs;
  private boolean claiming;
  private Future<Integer> claim = Future.succeededFuture(0);
  private boolean again;
  private long timer = -1;
  private boolean stopping;
  private Promise<Void> drained;

  DeliveryScheduler(Vertx vertx, DeliveryStore store, DeliveryAttempt attempt, LeaseKeeper leases, EndpointGate gate,
      WebhookTargets targets, WebhooksSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.attempt = attempt;
    this.leases = leases;
    this.gate = gate;
    this.targets = targets;
    this.concurrency = settings.concurrency();
    this.pollIntervalMs = settings.pollIntervalMs();
    this.endpointIdleMs = settings.endpointIdleMs();
    this.startNeedsMs = settings.startNeedsMs();
  }

  void start() {
    wake();
  }

  /** Looks for due rows now (new outbox rows, a freed slot), instead of at the next poll. */
  void wake() {
    if (stopping) {
      return;
    }
    if (claiming) {
      again = true;
      return;
    }
    int free = concurrency - inFlight.size() - waitingIds.size();
    if (free <= 0) {
      return;
    }
    claiming = true;
    again = false;
    int limit = Math.min(free, MAX_CLAIM);
    Set<String> skipUrls = new HashSet<>(gate.blockedUrls());
    waiting.values().forEach(q -> q.forEach(d -> skipUrls.add(d.url())));
    claim = store.claim(limit, skipUrls, lanes.keySet()).compose(this::admitAll);
    claim.onComplete(ar -> {
          claiming = false;
          if (ar.failed()) {
            log.warn("claiming due webhook deliveries failed: {}", ar.cause().getMessage());
            schedule();
          } else if (ar.result() >= limit || again) {
            wake();
          } else {
            schedule();
          }
        });
  }

  private void schedule() {
    if (stopping) {
      return;
    }
    vertx.cancelTimer(timer);
    timer = vertx.setTimer(pollIntervalMs, t -> wake());
  }

  /** @return how many rows were claimed */
  private Future<Integer> admitAll(List<ClaimedDelivery> claimed) {
    List<Reschedule> handBack = new ArrayList<>();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (ClaimedDelivery d : claimed) {
      if (stopping || lanes.containsKey(d.lane())) {
        handBack.add(new Reschedule(d, now));
        continue;
      }
      String endpoint = endpointOf(d.url());
      ArrayDeque<ClaimedDelivery> queue = waiting.get(endpoint);
      Admission admission = queue != null && !queue.isEmpty() ? Admission.BUSY : gate.admit(endpoint, d.url());
      switch (admission) {
        case GO -> start(d, endpoint);
        case BUSY -> {
          waiting.computeIfAbsent(endpoint, k -> new ArrayDeque<>()).addLast(d);
          waitingIds.put(d.id(), endpoint);
        }
        case CIRCUIT_OPEN -> handBack.add(new Reschedule(d, circuitEnd(endpoint)));
      }
    }
    return store.reschedule(handBack).map(claimed.size());
  }

  private OffsetDateTime circuitEnd(String endpoint) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(gate.openUntil(endpoint)), ZoneOffset.UTC);
  }

  /** Starts the endpoint's queued rows while it has slots; hands them all back if its circuit opened. */
  private void startWaiting(String endpoint) {
    ArrayDeque<ClaimedDelivery> queue = waiting.get(endpoint);
    List<Reschedule> handBack = new ArrayList<>();
    while (queue != null && !queue.isEmpty() && !stopping) {
      ClaimedDelivery d = queue.peekFirst();
      if (lanes.containsKey(d.lane())) {
        break; // its device's previous delivery is still in flight: keep the order, wait for it
      }
      if (d.leaseLeftMs() < startNeedsMs) {
        unqueue(queue, endpoint); // not enough lease for an attempt: it becomes due again when the lease ends
        continue;
      }
      Admission admission = gate.admit(endpoint, d.url());
      if (admission == Admission.BUSY) {
        break;
      }
      unqueue(queue, endpoint);
      if (admission == Admission.GO) {
        start(d, endpoint);
      } else {
        handBack.add(new Reschedule(d, circuitEnd(endpoint)));
        while (!queue.isEmpty()) {
          handBack.add(new Reschedule(unqueue(queue, endpoint), circuitEnd(endpoint)));
        }
      }
    }
    if (queue != null && queue.isEmpty()) {
      waiting.remove(endpoint);
    }
    store.reschedule(handBack).onFailure(err -> log.warn("handing back {} deliveries failed ({}); they are due again"
        + " when their lease ends", handBack.size(), err.getMessage()));
  }

  private ClaimedDelivery unqueue(ArrayDeque<ClaimedDelivery> queue, String endpoint) {
    ClaimedDelivery d = queue.pollFirst();
    waitingIds.remove(d.id(), endpoint);
    return d;
  }

  /** Every queued row, taken out of the queues (at stop, to hand them back). */
  private List<Reschedule> drainWaiting() {
    List<Reschedule> out = new ArrayList<>();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    waiting.values().forEach(q -> q.forEach(d -> out.add(new Reschedule(d, now))));
    waiting.clear();
    waitingIds.clear();
    return out;
  }

  private Future<DeliveryAttempt.Result> start(ClaimedDelivery d, String endpoint) {
    lanes.put(d.lane(), d.id());
    DeliveryLease lease = leases.hold(d);
    Future<DeliveryAttempt.Result> result = attempt.run(lease);
    inFlight.put(d.id(), result);
    result.onComplete(ar -> {
      leases.release(lease);
      inFlight.remove(d.id());
      lanes.remove(d.lane(), d.id());
      if (ar.succeeded()) {
        gate.release(endpoint, ar.result().outcome().status().equals("succeeded"), ar.result().reachedEndpoint());
      } else {
        // recording the outcome failed (database down): the row stays leased and is retried after the lease
        gate.release(endpoint, false, false);
        log.warn("{}: attempted but its outcome could not be recorded ({}); it is tried again after its lease", d,
            ar.cause().getMessage());
      }
      if (drained != null && inFlight.isEmpty()) {
        drained.tryComplete();
      }
      startWaiting(endpoint);
      wake();
    });
    return result;
  }

  /**
   * Deliver-now: attempts the row at once if it belongs to the tenant and is pending or retrying — through the same
   * endpoint gate, so an open circuit answers with the row unchanged. A row already in flight here answers with that
   * attempt's outcome; a finished one (succeeded, dead) with its state, unsent.
   *
   * @return the outcome, or null when the tenant has no such delivery
   */
  Future<DeliveryOutcome> deliverNow(long id, UUID tenantId) {
    Future<DeliveryAttempt.Result> running = inFlight.get(id);
    if (running != null) {
      return running.map(DeliveryAttempt.Result::outcome).recover(err -> store.state(id, tenantId));
    }
    if (stopping) {
      return store.state(id, tenantId);
    }
    String queuedAt = waitingIds.get(id);
    if (queuedAt != null) {
      // already claimed here and waiting for a slot: take it out of the queue, so it is not sent twice
      ArrayDeque<ClaimedDelivery> queue = waiting.get(queuedAt);
      queue.removeIf(d -> d.id() == id);
      waitingIds.remove(id);
      if (queue.isEmpty()) {
        waiting.remove(queuedAt);
      }
    }
    return store.claimOne(id, tenantId).compose(claimed -> {
      if (claimed.isEmpty()) {
        return store.state(id, tenantId);
      }
      ClaimedDelivery d = claimed.get(0);
      String endpoint = endpointOf(d.url());
      if (gate.admit(endpoint, d.url()) != Admission.GO) {
        return store.reschedule(List.of(new Reschedule(d, OffsetDateTime.now(ZoneOffset.UTC))))
            .compose(v -> store.state(id, tenantId));
      }
      return start(d, endpoint).map(DeliveryAttempt.Result::outcome);
    });
  }

  /**
   * Forgets the endpoints (their state and circuit gauge) that had no attempt for {@code webhooks.endpoint-idle-ms}, or
   * none of whose URLs an active subscription uses any more (deleted or deactivated), so what is kept per endpoint is
   * bounded by the endpoints in use. Called periodically.
   */
  Future<Void> forgetStaleEndpoints() {
    Set<String> known = gate.urls();
    if (known.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.activeUrls(known).map(active -> {
      Set<String> inactive = new HashSet<>(known);
      inactive.removeAll(active);
      gate.forget(inactive, endpointIdleMs);
      return null;
    });
  }

  /** What per-endpoint limits key on, without DNS: {@code scheme://host:port} as {@code Target#endpoint()} spells it. */
  private String endpointOf(String url) {
    try {
      URI uri = targets.parse(url);
      boolean tls = uri.getScheme().equalsIgnoreCase("https");
      String host = uri.getHost();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
      return (tls ? "https" : "http") + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
    } catch (WebhookTargets.Refused e) {
      return "invalid:" + url; // the attempt fails with the reason; the key only keeps it apart from real endpoints
    }
  }

  /**
   * Stops claiming; completes when the attempts in flight recorded their outcome, or after {@code graceMs} (those
   * left stay leased and are retried by whichever worker claims them after the lease).
   */
  Future<Void> stop(long graceMs) {
    stopping = true;
    vertx.cancelTimer(timer);
    // a claim under way hands its rows back (stopping) before the attempts are counted; so do the queued rows
    return claim.<Void>transform(ar -> store.reschedule(drainWaiting()).otherwise((Void) null)).<Void>transform(ar -> {
      if (inFlight.isEmpty()) {
        return Future.succeededFuture();
      }
      drained = Promise.promise();
      long t = vertx.setTimer(graceMs, x -> drained.tryComplete());
      return drained.future().onComplete(v -> vertx.cancelTimer(t));
    });
  }
}
