package io.gridline.api.webhooks;

import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.gridline.api.tenants.TenantRepository;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL for {@code webhook_subscriptions} (V5, V7). Every statement is scoped by the caller's tenant: another tenant's
 * subscription is not found. Secrets arrive here already sealed ({@link WebhookSecrets}); custom headers are sealed
 * here into {@code headers_sealed} on every write (the plaintext {@code headers} column is left {@code '{}'}), so a
 * row written before V7 is sealed by its next PUT or secret rotation and read from its plaintext until then.
 */
public final class WebhookRepository {
  /** Subscriptions per tenant: each one multiplies the delivery work of every event. */
  static final int MAX_PER_TENANT = 100;
  private final Pool pool;
  private final WebhookSecrets secrets;

  public WebhookRepository(Pool pool, WebhookSecrets secrets) {
    this.pool = pool;
    this.secrets = secrets;
  }

  /**
   * Inserts the subscription unless the tenant has {@link #MAX_PER_TENANT}. The tenant row is locked for the
   * count-and-insert, so concurrent creates never overshoot.
   */
  Future<Webhook> create(UUID tenantId, UUID id, WebhookInput input, byte[] sealedSecret) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT id FROM tenants WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(tenantId))
        .compose(tenant -> tenant.size() == 0 ? Future.failedFuture(TenantRepository.notFound(tenantId))
            : conn.preparedQuery("SELECT count(*) FROM webhook_subscriptions WHERE tenant_id = $1")
                .execute(Tuple.of(tenantId)))
        .compose(count -> count.iterator().next().getLong(0) >= MAX_PER_TENANT
            ? Future.failedFuture(Problem.limitReached("the tenant already has its maximum of " + MAX_PER_TENANT
                + " webhook subscriptions"))
            : conn.preparedQuery("INSERT INTO webhook_subscriptions (id, tenant_id, url, event_types, headers, "
                    + "headers_sealed, secret, active) VALUES ($1, $2, $3, $4, '{}', $5, $6, $7) RETURNING "
                    + Webhook.COLUMNS)
                .execute(Tuple.of(id, tenantId, input.url(), input.eventTypes().toArray(String[]::new),
                    Buffer.buffer(secrets.sealHeaders(id, input.headers())), Buffer.buffer(sealedSecret),
                    input.active())))
        .map(rows -> Webhook.from(rows.iterator().next(), secrets)));
  }

  Future<Webhook> find(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + Webhook.COLUMNS + " FROM webhook_subscriptions WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId))
        .compose(rows -> found(rows, id));
  }

  Future<Page.Slice<Webhook>> list(UUID tenantId, Page page) {
    Future<List<Webhook>> items = pool.preparedQuery("SELECT " + Webhook.COLUMNS + " FROM webhook_subscriptions "
            + "WHERE tenant_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3")
        .execute(Tuple.of(tenantId, page.size(), page.offset()))
        .map(rows -> {
          List<Webhook> out = new ArrayList<>(rows.size());
          rows.forEach(row -> out.add(Webhook.from(row, secrets)));
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM webhook_subscriptions WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId)).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  /**
   * Replaces url, event types, headers and active. Re-activating a subscription (inactive → active) clears the note
   * and the dead-in-a-row count that deactivated it, so it gets a fresh {@code webhooks.disable-after} budget.
   */
  Future<Webhook> replace(UUID tenantId, UUID id, WebhookInput input) {
    return pool.preparedQuery("UPDATE webhook_subscriptions SET url = $3, event_types = $4, headers = '{}', "
            + "headers_sealed = $5, active = $6, "
            + "status_note = CASE WHEN $6 AND NOT active THEN NULL ELSE status_note END, "
            + "consecutive_dead = CASE WHEN $6 AND NOT active THEN 0 ELSE consecutive_dead END, updated_at = now() "
            + "WHERE id = $1 AND tenant_id = $2 RETURNING " + Webhook.COLUMNS)
        .execute(Tuple.of(id, tenantId, input.url(), input.eventTypes().toArray(String[]::new),
            Buffer.buffer(secrets.sealHeaders(id, input.headers())), input.active()))
        .compose(rows -> found(rows, id));
  }

  /**
   * Makes {@code sealedSecret} the signing secret and keeps the current one as {@code previous_secret} until now +
   * {@code overlap}. A second rotation within the overlap drops the oldest secret. Plaintext headers of a row written
   * before they were sealed are sealed on the way.
   */
  Future<Webhook> rotateSecret(UUID tenantId, UUID id, byte[] sealedSecret, Duration overlap) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT headers, headers_sealed FROM webhook_subscriptions "
            + "WHERE id = $1 AND tenant_id = $2 FOR UPDATE")
        .execute(Tuple.of(id, tenantId))
        .compose(current -> {
          if (current.size() == 0) {
            return Future.failedFuture(notFound(id));
          }
          Row row = current.iterator().next();
          Buffer sealedHeaders = row.getBuffer("headers_sealed") != null ? row.getBuffer("headers_sealed")
              : Buffer.buffer(secrets.sealHeaders(id, row.getJsonObject("headers")));
          return conn.preparedQuery("UPDATE webhook_subscriptions SET previous_secret = secret, "
                  + "previous_secret_until = now() + $4 * interval '1 millisecond', secret = $3, headers = '{}', "
                  + "headers_sealed = $5, updated_at = now() WHERE id = $1 AND tenant_id = $2 RETURNING "
                  + Webhook.COLUMNS)
              .execute(Tuple.of(id, tenantId, Buffer.buffer(sealedSecret), overlap.toMillis(), sealedHeaders));
        })
        .compose(rows -> found(rows, id)));
  }

  /** Deletes the subscription and (ON DELETE CASCADE) its deliveries. */
  Future<Webhook> delete(UUID tenantId, UUID id) {
    return pool.preparedQuery("DELETE FROM webhook_subscriptions WHERE id = $1 AND tenant_id = $2 RETURNING "
            + Webhook.COLUMNS)
        .execute(Tuple.of(id, tenantId))
        .compose(rows -> found(rows, id));
  }

  static Problem notFound(UUID id) {
    return Problem.notFound("no webhook subscription " + id);
  }

  private Future<Webhook> found(RowSet<Row> rows, UUID id) {
    return rows.size() == 0 ? Future.failedFuture(notFound(id))
        : Future.succeededFuture(Webhook.from(rows.iterator().next(), secrets));
  }
}
