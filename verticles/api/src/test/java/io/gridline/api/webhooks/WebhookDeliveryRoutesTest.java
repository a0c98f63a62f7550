package io.gridline.api.webhooks;

import static io.gridline.api.ApiFixture.await;
import static io.gridline.api.ApiFixture.invalid;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.gridline.contracts.webhooks.DeliveryOutcome;
import io.gridline.contracts.webhooks.DeliveryRequest;
import io.gridline.contracts.webhooks.WebhookAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A subscription's deliveries: {@code /test} through the deliver-now request/reply (a stand-in consumer plays the
 * webhooks verticle; the real one is tested in verticles/webhooks), the list, and redelivery of dead deliveries.
 */
@ExtendWith(VertxExtension.class)
class WebhookDeliveryRoutesTest {
  private static ApiFixture api;
  private static Vertx vertx;
  private static UUID tenant;
  private static String writeKey;
  private static String readKey;
  private static String otherKey;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    api = ApiFixture.start(v);
    ApiFixture.TenantKeys keys = api.tenantWithKeys("deliveries");
    tenant = UUID.fromString(keys.tenantId());
    writeKey = keys.writeKey();
    readKey = keys.readKey();
    otherKey = keys.otherKey();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static UUID subscription() {
    HttpResponse<Buffer> r = api.post("/api/v1/webhooks", writeKey, new JsonObject()
        .put("url", "https://93.184.215.14/hook").put("eventTypes", new JsonArray().add("*")));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return UUID.fromString(r.bodyAsJsonObject().getString("id"));
  }

  /** A delivery row as the webhooks verticle would have left it. */
  private static long delivery(UUID subscription, String status, int attempts) {
    return api.row("INSERT INTO webhook_deliveries (subscription_id, tenant_id, event_id, event_type, body, status, "
            + "attempts, last_status_code, last_error, occurred_at) VALUES ($1, $2, $3, 'device.online', '{}', $4, $5, "
            + "$6, $7, now() - interval '1 minute') RETURNING id",
        subscription, tenant, UUID.randomUUID(), status, attempts, attempts == 0 ? null : 500,
        attempts == 0 ? null : "HTTP 500").getLong(0);
  }

  /** Plays the webhooks verticle: answers every deliver-now request with {@code reply} and keeps what it got. */
  private static MessageConsumer<DeliveryRequest> webhooksVerticle(Function<DeliveryRequest, DeliveryOutcome> reply,
      BlockingQueue<DeliveryRequest> got) {
    MessageConsumer<DeliveryRequest> c = vertx.eventBus().consumer(WebhookAddresses.DELIVER_NOW, m -> {
      got.add(m.body());
      m.reply(reply.apply(m.body()));
    });
    await(c.completion());
    return c;
  }

  @Test
  void testQueuesAWebhookTestEventAndReturnsTheAttemptsOutcome() throws Exception {
    UUID sub = subscription();
    BlockingQueue<DeliveryRequest> got = new LinkedBlockingQueue<>();
    MessageConsumer<DeliveryRequest> c = webhooksVerticle(
        req -> new DeliveryOutcome(req.deliveryId(), "succeeded", 1, 204, ""), got);
    try {
      HttpResponse<Buffer> r = api.post("/api/v1/webhooks/" + sub + "/test", writeKey, null);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      DeliveryRequest asked = got.poll(5, TimeUnit.SECONDS);
      assertNotNull(asked);
      assertEquals(tenant.toString(), asked.tenantId());
      JsonObject outcome = r.bodyAsJsonObject();
      assertEquals(asked.deliveryId(), outcome.getLong("deliveryId"));
      assertEquals("succeeded", outcome.getString("status"));
      assertEquals(1, outcome.getInteger("attempts"));
      assertEquals(204, outcome.getInteger("statusCode"));
      assertTrue(outcome.containsKey("error") && outcome.getString("error") == null, outcome.encode());

      Row row = api.row("SELECT subscription_id, tenant_id, event_id::text, event_type, device_id, body, status, "
          + "next_attempt_at FROM webhook_deliveries WHERE id = $1", asked.deliveryId());
      assertEquals(sub, row.getUUID(0));
      assertEquals(tenant, row.getUUID(1));
      assertEquals("webhook.test", row.getString(3));
      assertNull(row.getValue(4));
      assertEquals(outcome.getString("eventId"), row.getString(2));
      // the envelope of docs/architecture.md §4, with no device
      JsonObject envelope = new JsonObject(row.getString(5));
      assertEquals(List.of("eventId", "type", "tenantId", "deviceId", "deviceKind", "occurredAt", "data"),
          List.copyOf(envelope.fieldNames()));
      assertEquals(row.getString(2), envelope.getString("eventId"));
      assertEquals("webhook.test", envelope.getString("type"));
      assertEquals(tenant.toString(), envelope.getString("tenantId"));
      assertNull(envelope.getValue("deviceId"));
      assertNull(envelope.getValue("deviceKind"));
      assertTrue(envelope.getString("occurredAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
      assertEquals(new JsonObject().put("subscriptionId", sub.toString()), envelope.getJsonObject("data"));
      // due only after the reply timeout: the deliver-now request gets the first attempt, not a polling worker
      assertTrue(row.getOffsetDateTime(7).isAfter(OffsetDateTime.now().plusSeconds(5)), row.getValue(7).toString());
    } finally {
      await(c.unregister());
    }
  }

  @Test
  void aFailedAttemptIsReportedWithoutAStatusCodeWhenThereWasNoResponse() {
    UUID sub = subscription();
    MessageConsumer<DeliveryRequest> c = webhooksVerticle(
        req -> new DeliveryOutcome(req.deliveryId(), "retrying", 1, -1, "connection refused"),
        new LinkedBlockingQueue<>());
    try {
      HttpResponse<Buffer> r = api.post("/api/v1/webhooks/" + sub + "/test", writeKey, null);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject outcome = r.bodyAsJsonObject();
      assertEquals("retrying", outcome.getString("status"));
      assertTrue(outcome.containsKey("statusCode") && outcome.getValue("statusCode") == null, outcome.encode());
      assertEquals("connection refused", outcome.getString("error"));
    } finally {
      await(c.unregister());
    }
  }

  @Test
  void withoutAWebhooksVerticleTestIs503AndTheDeliveryStaysPending() {
    UUID sub = subscription();
    JsonObject p = problem(api.post("/api/v1/webhooks/" + sub + "/test", writeKey, null), 503);
    assertTrue(p.getString("detail").contains("no webhooks verticle"), p.encode());
    Row row = api.row("SELECT status, attempts, event_type FROM webhook_deliveries WHERE subscription_id = $1", sub);
    assertEquals("pending", row.getString(0));
    assertEquals(0, row.getInteger(1));
    assertEquals("webhook.test", row.getString(2));
  }

  @Test
  void testIsForTheTenantsOwnSubscriptionsAndWriteKeys() {
    UUID sub = subscription();
    problem(api.post("/api/v1/webhooks/" + sub + "/test", otherKey, null), 404);
    problem(api.post("/api/v1/webhooks/" + sub + "/test", readKey, null), 403);
    problem(api.post("/api/v1/webhooks/" + UUID.randomUUID() + "/test", writeKey, null), 404);
    assertEquals(0L, api.count("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = $1", sub));
  }

  @Test
  void deliveriesAreListedNewestFirstFilteredAndPaged() {
    UUID sub = subscription();
    long d1 = delivery(sub, "succeeded", 1);
    long d2 = delivery(sub, "dead", 10);
    long d3 = delivery(sub, "retrying", 2);
    long d4 = delivery(sub, "dead", 10);
    delivery(subscription(), "dead", 10); // another subscription's
    String path = "/api/v1/webhooks/" + sub + "/deliveries";

    JsonObject all = api.get(path, readKey).bodyAsJsonObject();
    assertEquals(4, all.getLong("total"));
    assertEquals(List.of(d4, d3, d2, d1), all.getJsonArray("items").stream()
        .map(i -> ((JsonObject) i).getLong("deliveryId")).toList());
    JsonObject first = all.getJsonArray("items").getJsonObject(0);
    for (String field : List.of("deliveryId", "eventId", "eventType", "status", "attempts", "lastStatusCode",
        "lastError", "nextAttemptAt", "occurredAt", "createdAt", "updatedAt", "succeededAt")) {
      assertTrue(first.containsKey(field), field + " in " + first.encode());
    }
    assertEquals("dead", first.getString("status"));
    assertEquals(10, first.getInteger("attempts"));
    assertEquals(500, first.getInteger("lastStatusCode"));
    assertEquals("HTTP 500", first.getString("lastError"));
    assertEquals("device.online", first.getString("eventType"));

    JsonObject dead = api.get(path + "?status=dead&size=1&page=2", readKey).bodyAsJsonObject();
    assertEquals(2, dead.getLong("total"));
    assertEquals(1, dead.getJsonArray("items").size());
    assertEquals(d2, dead.getJsonArray("items").getJsonObject(0).getLong("deliveryId"));
    assertEquals(0, api.get(path + "?status=pending", readKey).bodyAsJsonObject().getLong("total"));

    invalid(api.get(path + "?status=failed", readKey), "status");
    invalid(api.get(path + "?status=nope&size=900", readKey), "status", "size");
    problem(api.get(path, otherKey), 404);
    problem(api.get("/api/v1/webhooks/" + UUID.randomUUID() + "/deliveries", readKey), 404);
  }

  @Test
  void onlyADeadDeliveryCanBeRedelivered() {
    UUID sub = subscription();
    long dead = delivery(sub, "dead", 10);
    String base = "/api/v1/webhooks/" + sub + "/deliveries/";
    problem(api.post(base + dead + "/redeliver", readKey, null), 403);
    problem(api.post(base + dead + "/redeliver", otherKey, null), 404);
    problem(api.post("/api/v1/webhooks/" + subscription() + "/deliveries/" + dead + "/redeliver", writeKey, null), 404);

    HttpResponse<Buffer> r = api.post(base + dead + "/redeliver", writeKey, null);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    JsonObject d = r.bodyAsJsonObject();
    assertEquals(dead, d.getLong("deliveryId"));
    assertEquals("pending", d.getString("status"));
    assertEquals(0, d.getInteger("attempts"));
    Row row = api.row("SELECT status, attempts, next_attempt_at FROM webhook_deliveries WHERE id = $1", dead);
    assertEquals("pending", row.getString(0));
    assertEquals(0, row.getInteger(1));
    assertTrue(Duration.between(row.getOffsetDateTime(2), OffsetDateTime.now()).abs().toSeconds() < 30);

    // now pending: a second redeliver is a conflict, as for every status but dead
    JsonObject p = problem(api.post(base + dead + "/redeliver", writeKey, null), 409);
    assertTrue(p.getString("detail").contains("pending"), p.encode());
    for (String status : List.of("retrying", "succeeded")) {
      long id = delivery(sub, status, 1);
      assertTrue(problem(api.post(base + id + "/redeliver", writeKey, null), 409).getString("detail").contains(status));
    }
    problem(api.post(base + "999999999/redeliver", writeKey, null), 404);
    invalid(api.post(base + "abc/redeliver", writeKey, null), "deliveryId");
  }
}
