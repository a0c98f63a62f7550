package io.gridline.webhooks;

import io.gridline.runtime.Failures;
import io.gridline.runtime.LogThrottle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of the attempts in flight, so a slow DNS answer, a slow receiver or a slow outcome write never lets
 * another worker claim a row that is being sent: every {@code renewEveryMs}, one statement pushes the lease of each
 * held row whose lease is at least that old forward by a whole lease, where the row still carries the attempt's token.
 * A row that no longer does was claimed by another worker (this lease had run out before a renewal got through): the
 * lease is lost, and an attempt that has not sent yet does not send. A renewal that fails (database unreachable)
 * changes nothing: the lease runs down, and {@link DeliveryAttempt} does not start a POST without enough of it left.
 * Runs on the verticle's event loop.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final LogThrottle throttled = new LogThrottle(log, 1);
  private final Vertx vertx;
  private final DeliveryStore store;
  private final long leaseMs;
  private final long renewEveryMs;
  private final Set<DeliveryLease> held = new LinkedHashSet<>();
  private long timer = -1;
  private boolean renewing;

  LeaseKeeper(Vertx vertx, DeliveryStore store, WebhooksSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.leaseMs = settings.leaseMs();
    this.renewEveryMs = settings.renewEveryMs();
  }

  void start() {
    timer = vertx.setPeriodic(renewEveryMs, t -> renewDue());
  }

  /** Keeps the claimed row's lease from now until {@link #release}. */
  DeliveryLease hold(ClaimedDelivery delivery) {
    DeliveryLease lease = new DeliveryLease(delivery);
    held.add(lease);
    return lease;
  }

  void release(DeliveryLease lease) {
    held.remove(lease);
  }

  /** One renewal now; true when the row is still this attempt's (its lease is then whole again). */
  Future<Boolean> renewNow(DeliveryLease lease) {
    return renew(List.of(lease)).map(v -> !lease.lost());
  }

  private void renewDue() {
    if (renewing) {
      return; // the previous renewal has not come back (slow database): no pile-up of statements
    }
    List<DeliveryLease> due = new ArrayList<>();
    for (DeliveryLease lease : held) {
      if (!lease.lost() && lease.leftMs() <= leaseMs - renewEveryMs) {
        due.add(lease);
      }
    }
    if (due.isEmpty()) {
      return;
    }
    renewing = true;
    renew(due).onComplete(ar -> {
      renewing = false;
      if (ar.failed()) {
        throttled.warn("renewing the leases of {} webhook deliveries in flight failed ({}); they are not sent unless "
            + "enough of their lease is left", due.size(), Failures.describe(ar.cause()));
      }
    });
  }

  private Future<Void> renew(List<DeliveryLease> leases) {
    long sentAt = System.nanoTime();
    List<ClaimedDelivery> rows = new ArrayList<>(leases.size());
    leases.forEach(l -> rows.add(l.delivery()));
    return store.renew(rows).map(renewed -> {
      for (DeliveryLease lease : leases) {
        if (renewed.contains(lease.delivery().id())) {
          lease.renewed(sentAt + leaseMs * 1_000_000);
        } else if (held.contains(lease)) {
          lease.lose();
        }
      }
      return null;
    });
  }

  /** No more renewals: leases of attempts still running run out and their rows become due again. */
  void stop() {
    vertx.cancelTimer(timer);
    held.clear();
  }
}
