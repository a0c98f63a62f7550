package io.gridline.api.webhooks;

import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL for {@code webhook_deliveries} (V5), the outbox the webhooks verticle works off. Every statement is scoped by
 * the caller's tenant and the subscription: another tenant's deliveries are not found.
 */
public final class WebhookDeliveryRepository {
  private static final String FILTER = "subscription_id = $1 AND tenant_id = $2 AND ($3::text IS NULL OR status = $3)";
  private final Pool pool;

  public WebhookDeliveryRepository(Pool pool) {
    this.pool = pool;
  }

  /** Newest first. @param status only deliveries in this status, or all when null */
  Future<Page.Slice<WebhookDelivery>> list(UUID tenantId, UUID subscriptionId, String status, Page page) {
    Future<List<WebhookDelivery>> items = pool.preparedQuery("SELECT " + WebhookDelivery.COLUMNS
            + " FROM webhook_deliveries WHERE " + FILTER + " ORDER BY id DESC LIMIT $4 OFFSET $5")
        .execute(Tuple.of(subscriptionId, tenantId, status, page.size(), page.offset()))
        .map(rows -> {
          List<WebhookDelivery> out = new ArrayList<>(rows.size());
          rows.forEach(row -> out.add(WebhookDelivery.from(row)));
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM webhook_deliveries WHERE " + FILTER)
        .execute(Tuple.of(subscriptionId, tenantId, status)).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  /**
   * Queues one delivery of {@code body} (the exact bytes to send and sign) to the subscription, due at
   * {@code dueAt}. Only for the tenant's own subscription: none inserted (404) otherwise.
   */
  Future<WebhookDelivery> insert(UUID tenantId, UUID subscriptionId, UUID eventId, String eventType,
      OffsetDateTime occurredAt, JsonObject body, OffsetDateTime dueAt) {
    return pool.preparedQuery("INSERT INTO webhook_deliveries (subscription_id, tenant_id, event_id, event_type, body, "
            + "occurred_at, next_attempt_at) SELECT id, tenant_id, $3, $4, $5, $6, $7 FROM webhook_subscriptions "
            + "WHERE id = $1 AND tenant_id = $2 RETURNING " + WebhookDelivery.COLUMNS)
        .execute(Tuple.of(subscriptionId, tenantId, eventId, eventType, body.encode(), occurredAt, dueAt))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(WebhookRepository.notFound(subscriptionId))
            : Future.succeededFuture(WebhookDelivery.from(rows.iterator().next())));
  }

  /**
   * Puts a {@code dead} delivery back in the queue: pending, due now, attempts from zero (the last status code and
   * error stay until the next attempt replaces them). Any other status is a 409; another tenant's or subscription's
   * delivery a 404.
   */
  Future<WebhookDelivery> redeliver(UUID tenantId, UUID subscriptionId, long deliveryId) {
    return pool.preparedQuery("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), "
            + "updated_at = now() WHERE id = $1 AND subscription_id = $2 AND tenant_id = $3 AND status = 'dead' "
            + "RETURNING " + WebhookDelivery.COLUMNS)
        .execute(Tuple.of(deliveryId, subscriptionId, tenantId))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(WebhookDelivery.from(rows.iterator().next()))
            : whyNotDead(tenantId, subscriptionId, deliveryId));
  }

  private Future<WebhookDelivery> whyNotDead(UUID tenantId, UUID subscriptionId, long deliveryId) {
    return pool.preparedQuery("SELECT status FROM webhook_deliveries WHERE id = $1 AND subscription_id = $2 "
            + "AND tenant_id = $3")
        .execute(Tuple.of(deliveryId, subscriptionId, tenantId))
        .compose(rows -> Future.failedFuture(rows.size() == 0
            ? Problem.notFound("no delivery " + deliveryId + " of webhook subscription " + subscriptionId)
            : Problem.conflict("delivery " + deliveryId + " is " + rows.iterator().next().getString("status")
                + "; only dead deliveries can be redelivered")));
  }
}
