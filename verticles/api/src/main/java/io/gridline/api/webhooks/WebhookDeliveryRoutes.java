package io.gridline.api.webhooks;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.api.http.Access;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.PathIds;
import io.gridline.api.http.Problem;
import io.gridline.api.http.Respond;
import io.gridline.api.http.Timestamps;
import io.gridline.api.http.Validation;
import io.gridline.contracts.webhooks.DeliveryOutcome;
import io.gridline.contracts.webhooks.DeliveryRequest;
import io.gridline.contracts.webhooks.WebhookAddresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A subscription's deliveries: the list, redelivery of a dead one, and {@code /test}, which is
 * {@code findSubscription → queueTestEvent → deliverNow}: the synthetic {@code webhook.test} event goes through the
 * same outbox row and the same webhooks verticle as any event, so its outcome is what a real event would get.
 */
public final class WebhookDeliveryRoutes {
  static final String TEST_EVENT_TYPE = "webhook.test";
  private final WebhookRepository webhooks;
  private final WebhookDeliveryRepository deliveries;
  private final EventBus bus;
  private final long replyTimeoutMs;

  public WebhookDeliveryRoutes(WebhookRepository webhooks, WebhookDeliveryRepository deliveries, EventBus bus,
      long replyTimeoutMs) {
    this.webhooks = webhooks;
    this.deliveries = deliveries;
    this.bus = bus;
    this.replyTimeoutMs = replyTimeoutMs;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/webhooks/:id/test", Access.TENANT_WRITE, this::test);
    endpoints.add(GET, "/api/v1/webhooks/:id/deliveries", Access.TENANT_READ, this::list);
    endpoints.add(POST, "/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver", Access.TENANT_WRITE, this::redeliver);
  }

  /** {@code GET …/deliveries}' query: an optional status and the page. */
  record Filter(String status, Page page) {
    static Future<Filter> of(RoutingContext ctx) {
      Validation v = Validation.empty();
      String status = ctx.queryParams().get("status");
      if (status != null && !WebhookDelivery.STATUSES.contains(status)) {
        v.reject("status", "must be one of " + String.join(", ", WebhookDelivery.STATUSES));
      }
      Page page = Page.read(ctx.queryParams(), v);
      return v.result(() -> new Filter(status, page));
    }
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.uuid(ctx, "id")
        .compose(id -> Filter.of(ctx)
            .compose(filter -> webhooks.find(caller.tenantId(), id)
                .compose(w -> deliveries.list(caller.tenantId(), id, filter.status(), filter.page()))
                .map(slice -> filter.page().envelope(slice, WebhookDelivery::toJson))))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  /** 202: the delivery is queued again; the webhooks verticle attempts it as soon as a worker is free. */
  private void redeliver(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.uuid(ctx, "id")
        .compose(id -> PathIds.rowId(ctx, "deliveryId")
            .compose(deliveryId -> deliveries.redeliver(caller.tenantId(), id, deliveryId)))
        .onComplete(Respond.json(ctx, 202, WebhookDelivery::toJson));
  }

  private void test(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.uuid(ctx, "id")
        .compose(id -> webhooks.find(caller.tenantId(), id))
        .compose(webhook -> queueTestEvent(caller, webhook))
        .compose(delivery -> deliverNow(caller, delivery))
        .onComplete(Respond.json(ctx, 200, WebhookDeliveryRoutes::outcomeJson));
  }

  /**
   * The outbox row of a fresh {@code webhook.test} event in the docs/architecture.md §4 envelope (no device: deviceId
   * and
   * deviceKind are null, so it is built here rather than with the {@code DeviceEvent} codec, whose deviceId is a
   * number). It is due only after the reply timeout: the deliver-now request attempts it first, and the delivery
   * workers take it over only if no webhooks verticle answered.
   */
  private Future<WebhookDelivery> queueTestEvent(Caller caller, Webhook webhook) {
    UUID eventId = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    JsonObject envelope = new JsonObject().put("eventId", eventId.toString()).put("type", TEST_EVENT_TYPE)
        .put("tenantId", caller.tenantId().toString()).putNull("deviceId").putNull("deviceKind")
        .put("occurredAt", Timestamps.format(now))
        .put("data", new JsonObject().put("subscriptionId", webhook.id().toString()));
    return deliveries.insert(caller.tenantId(), webhook.id(), eventId, TEST_EVENT_TYPE, now, envelope,
        now.plus(replyTimeoutMs, ChronoUnit.MILLIS));
  }

  private record Attempted(WebhookDelivery delivery, DeliveryOutcome outcome) {}

  private Future<Attempted> deliverNow(Caller caller, WebhookDelivery delivery) {
    return bus.<DeliveryOutcome>request(WebhookAddresses.DELIVER_NOW,
            new DeliveryRequest(delivery.deliveryId(), caller.tenantId().toString()),
            new DeliveryOptions().setSendTimeout(replyTimeoutMs))
        .recover(err -> Future.failedFuture(unanswered(delivery, err)))
        .map(Message::body)
        .map(outcome -> new Attempted(delivery, outcome));
  }

  /**
   * Nobody consumes the address (no node runs the webhooks verticle) or nobody answered in time: 503. The row is in
   * the outbox either way and is delivered when a webhooks verticle runs.
   */
  private Throwable unanswered(WebhookDelivery delivery, Throwable err) {
    String queued = "; test delivery " + delivery.deliveryId() + " stays pending and is delivered when one runs";
    if (err instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
      return Problem.serviceUnavailable("no webhooks verticle is running" + queued);
    }
    if (err instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
      return Problem.serviceUnavailable("no webhooks verticle answered within " + replyTimeoutMs + " ms" + queued);
    }
    if (err instanceof ReplyException r) {
      return Problem.badGateway("the webhooks verticle could not attempt delivery " + delivery.deliveryId() + ": "
          + r.getMessage());
    }
    return err;
  }

  private static JsonObject outcomeJson(Attempted a) {
    DeliveryOutcome o = a.outcome();
    return new JsonObject().put("deliveryId", a.delivery().deliveryId())
        .put("eventId", a.delivery().eventId().toString()).put("status", o.status()).put("attempts", o.attempts())
        .put("statusCode", o.statusCode() < 0 ? null : o.statusCode())
        .put("error", o.error().isEmpty() ? null : o.error());
  }
}
