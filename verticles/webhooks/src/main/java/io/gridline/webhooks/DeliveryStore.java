package io.gridline.webhooks;

import io.gridline.contracts.webhooks.DeliveryOutcome;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The delivery workers' SQL. A claim is one statement (its own short transaction): it locks due rows with
 * {@code FOR UPDATE SKIP LOCKED}, pushes their {@code next_attempt_at} forward by the lease and marks them with the
 * claim's {@code lease_token}, so workers on other nodes skip them while the attempt runs, and a worker that dies
 * leaves them due again when the lease ends. Renewals, hand-backs and outcomes are written only where the row still
 * carries the token: a worker whose lease ran out cannot overwrite what the row's new owner does.
 */
final class DeliveryStore {
  private static final String CLAIM = "WITH due AS (SELECT d.id FROM webhook_deliveries d "
      + "JOIN webhook_subscriptions s ON s.id = d.subscription_id "
      + "WHERE d.status IN ('pending', 'retrying') AND d.next_attempt_at <= now() AND s.active "
      + "AND NOT (s.url = ANY($3::text[])) "
      + "AND NOT (coalesce(d.subscription_id::text || ':' || d.device_id::text, '') = ANY($4::text[])) "
      + "ORDER BY d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED) "
      + "UPDATE webhook_deliveries d SET next_attempt_at = now() + $2 * interval '1 millisecond', lease_token = $5, "
      + "updated_at = now() FROM due, webhook_subscriptions s WHERE d.id = due.id AND s.id = d.subscription_id RETURNING "
      + ClaimedDelivery.COLUMNS;

  /**
   * Deliver-now: this row, whatever its schedule, if it belongs to the tenant and is not finished — unless another
   * worker holds its lease (a token, and the lease not over): its attempt is under way.
   */
  private static final String CLAIM_ONE = "WITH one AS (SELECT d.id FROM webhook_deliveries d "
      + "WHERE d.id = $1 AND d.tenant_id = $2 AND d.status IN ('pending', 'retrying') "
      + "AND (d.lease_token IS NULL OR d.next_attempt_at <= now()) FOR UPDATE SKIP LOCKED) "
      + "UPDATE webhook_deliveries d SET next_attempt_at = now() + $3 * interval '1 millisecond', lease_token = $4, "
      + "updated_at = now() FROM one, webhook_subscriptions s WHERE d.id = one.id AND s.id = d.subscription_id RETURNING "
      + ClaimedDelivery.COLUMNS;

  private static final String STATE = "SELECT id, status, attempts, last_status_code, last_error "
      + "FROM webhook_deliveries WHERE id = $1 AND tenant_id = $2";

  /** Hands claimed rows back without counting an attempt: due at the given time (now = at once). */
  private static final String RESCHEDULE = "UPDATE webhook_deliveries d SET next_attempt_at = r.at, lease_token = NULL, "
      + "updated_at = now() FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[]) AS r(id, at, token) "
      + "WHERE d.id = r.id AND d.lease_token = r.token AND d.status IN ('pending', 'retrying')";

  /** Pushes the leases of rows still carrying their attempt's token a whole lease forward. */
  private static final String RENEW = "UPDATE webhook_deliveries d SET next_attempt_at = now() + $3 * interval "
      + "'1 millisecond' FROM unnest($1::bigint[], $2::uuid[]) AS r(id, token) "
      + "WHERE d.id = r.id AND d.lease_token = r.token AND d.status IN ('pending', 'retrying') RETURNING d.id";

  /** Counts the rows it marked succeeded: 0 when the lease was lost (another worker owns the row). */
  private static final String SUCCEEDED = "WITH d AS (UPDATE webhook_deliveries SET status = 'succeeded', "
      + "attempts = attempts + 1, succeeded_at = now(), last_status_code = $2, last_error = NULL, lease_token = NULL, "
      + "updated_at = now() WHERE id = $1 AND lease_token = $3 AND status IN ('pending', 'retrying') "
      + "RETURNING subscription_id), "
      + "streak AS (UPDATE webhook_subscriptions s SET consecutive_dead = 0 FROM d "
      + "WHERE s.id = d.subscription_id AND s.consecutive_dead <> 0) "
      + "SELECT count(*) FROM d";

  private static final String FAILED = "UPDATE webhook_deliveries SET status = $2, attempts = $3, "
      + "next_attempt_at = now() + $4 * interval '1 millisecond', last_status_code = $5, last_error = $6, "
      + "lease_token = NULL, updated_at = now() WHERE id = $1 AND status IN ('pending', 'retrying') AND lease_token = $7";

  private static final String WENT_DEAD = "UPDATE webhook_subscriptions SET consecutive_dead = consecutive_dead + 1, "
      + "active = active AND consecutive_dead + 1 < $2, "
      + "status_note = CASE WHEN active AND consecutive_dead + 1 >= $2 THEN 'webhook.disabled: ' "
      + "|| (consecutive_dead + 1) || ' deliveries dead in a row' ELSE status_note END, updated_at = now() "
      + "WHERE id = $1 RETURNING active";

  private static final String BACKLOG = "SELECT count(*) FROM webhook_deliveries d "
      + "JOIN webhook_subscriptions s ON s.id = d.subscription_id "
      + "WHERE d.status IN ('pending', 'retrying') AND d.next_attempt_at <= now() AND s.active";

  private static final String ACTIVE_URLS = "SELECT DISTINCT url FROM webhook_subscriptions "
      + "WHERE active AND url = ANY($1::text[])";

  private final Pool pool;
  private final long leaseMs;

  DeliveryStore(Pool pool, long leaseMs) {
    this.pool = pool;
    this.leaseMs = leaseMs;
  }

  /**
   * @param busyUrls  subscription URLs whose endpoint has no free slot or an open circuit: left for later
   * @param busyLanes lanes ({@link ClaimedDelivery#lane()}) with an attempt in flight: their next row waits for it
   */
  Future<List<ClaimedDelivery>> claim(int limit, Collection<String> busyUrls, Collection<String> busyLanes) {
    long leaseEnds = leaseEndsIfSentNow();
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(limit, leaseMs, busyUrls.toArray(String[]::new), busyLanes.toArray(String[]::new),
            UUID.randomUUID()))
        .map(rows -> claimed(rows, leaseEnds));
  }

  Future<List<ClaimedDelivery>> claimOne(long id, UUID tenantId) {
    long leaseEnds = leaseEndsIfSentNow();
    return pool.preparedQuery(CLAIM_ONE).execute(Tuple.of(id, tenantId, leaseMs, UUID.randomUUID()))
        .map(rows -> claimed(rows, leaseEnds));
  }

  /**
   * The lease's end on this JVM's clock for a statement sent now: the database starts the lease later than that (at
   * its {@code now()}), so this end is never later than the real one, whatever the two clocks say.
   */
  private long leaseEndsIfSentNow() {
    return System.nanoTime() + leaseMs * 1_000_000;
  }

  private static List<ClaimedDelivery> claimed(RowSet<Row> rows, long leaseEndsAtNanos) {
    List<ClaimedDelivery> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(ClaimedDelivery.of(r, leaseEndsAtNanos)));
    // the UPDATE … RETURNING order is not the claim's; workers start them in outbox order
    out.sort((a, b) -> Long.compare(a.id(), b.id()));
    return out;
  }

  /** The row as it stands, or null when it does not exist for this tenant. */
  Future<DeliveryOutcome> state(long id, UUID tenantId) {
    return pool.preparedQuery(STATE).execute(Tuple.of(id, tenantId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      Integer code = r.getInteger("last_status_code");
      String error = r.getString("last_error");
      return new DeliveryOutcome(id, r.getString("status"), r.getInteger("attempts"), code == null ? -1 : code,
          error == null ? "" : error);
    });
  }

  record Reschedule(ClaimedDelivery delivery, OffsetDateTime at) {}

  Future<Void> reschedule(List<Reschedule> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] ids = new Long[rows.size()];
    OffsetDateTime[] at = new OffsetDateTime[rows.size()];
    UUID[] tokens = new UUID[rows.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rows.get(i).delivery().id();
      at[i] = rows.get(i).at();
      tokens[i] = rows.get(i).delivery().leaseToken();
    }
    return pool.preparedQuery(RESCHEDULE).execute(Tuple.of(ids, at, tokens)).mapEmpty();
  }

  /** @return the ids of the rows whose lease was renewed (the others are no longer theirs, or finished) */
  Future<Set<Long>> renew(List<ClaimedDelivery> rows) {
    Long[] ids = new Long[rows.size()];
    UUID[] tokens = new UUID[rows.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rows.get(i).id();
      tokens[i] = rows.get(i).leaseToken();
    }
    return pool.preparedQuery(RENEW).execute(Tuple.of(ids, tokens, leaseMs)).map(renewed -> {
      Set<Long> out = new HashSet<>();
      renewed.forEach(r -> out.add(r.getLong(0)));
      return out;
    });
  }

  /**
   * Records a 2xx: the row is never sent again, and the subscription's dead streak ends.
   *
   * @return false when the row no longer carries this attempt's lease token (another worker claimed it after the lease
   *     ran out): nothing was written
   */
  Future<Boolean> succeeded(ClaimedDelivery d, int statusCode) {
    return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(d.id(), statusCode, d.leaseToken()))
        .map(rows -> rows.iterator().next().getLong(0) > 0);
  }

  /**
   * What recording a failed attempt did.
   *
   * @param held   false when the row no longer carried this attempt's lease token: nothing was written
   * @param active whether the subscription is (still) active when the row went dead, null otherwise
   */
  record Recorded(boolean held, Boolean active) {}

  /**
   * Records a failed attempt; when it made the row dead, counts the subscription's dead streak and deactivates it at
   * {@code disableAfter}.
   */
  Future<Recorded> failed(ClaimedDelivery d, boolean dead, long retryInMs, Integer statusCode, String error,
      int disableAfter) {
    Tuple args = Tuple.of(d.id(), dead ? "dead" : "retrying", d.attempts() + 1, dead ? 0L : retryInMs, statusCode,
        error, d.leaseToken());
    return pool.withTransaction(c -> c.preparedQuery(FAILED).execute(args).compose(rows -> {
      if (rows.rowCount() == 0) {
        return Future.succeededFuture(new Recorded(false, null));
      }
      if (!dead) {
        return Future.succeededFuture(new Recorded(true, null));
      }
      return c.preparedQuery(WENT_DEAD).execute(Tuple.of(d.subscriptionId(), disableAfter))
          .map(r -> new Recorded(true, r.size() == 0 ? null : r.iterator().next().getBoolean("active")));
    }));
  }

  /** Which of {@code urls} an active subscription still uses. */
  Future<Set<String>> activeUrls(Collection<String> urls) {
    return pool.preparedQuery(ACTIVE_URLS).execute(Tuple.of((Object) urls.toArray(String[]::new))).map(rows -> {
      Set<String> out = new HashSet<>();
      rows.forEach(r -> out.add(r.getString(0)));
      return out;
    });
  }

  Future<Long> backlog() {
    return pool.query(BACKLOG).execute().map(rows -> rows.iterator().next().getLong(0));
  }
}
