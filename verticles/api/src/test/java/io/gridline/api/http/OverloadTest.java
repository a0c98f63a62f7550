package io.gridline.api.http;

import static io.gridline.api.ApiFixture.await;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a caller sees when the API is pushed past its limits: a key over {@code api.rate-limit} gets 429, a database
 * whose pool and wait queue are full gets 503, both with {@code Retry-After}, neither a 500 nor an unbounded queue.
 */
@ExtendWith(VertxExtension.class)
class OverloadTest {
  private static ApiFixture api;
  private static ApiFixture.TenantKeys keys;

  @BeforeAll
  static void start(Vertx vertx) {
    // set-up goes through an api with the default limits; each test deploys the limited one it needs
    api = ApiFixture.start(vertx);
    keys = api.tenantWithKeys("overload");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static HttpResponse<Buffer> list(int port, String token) {
    return api.call(port, HttpMethod.GET, "/api/v1/devices", token, null);
  }

  @Test
  void aKeyOverTheRateLimitGets429WithRetryAfterAndOtherKeysDoNot() throws Exception {
    JsonObject limited = api.config().put("api.rate-limit", 1).put("api.rate-limit-burst", 3);
    int port = api.deploy(limited).actualPort();
    int sameNode = api.deploy(limited).actualPort();

    for (int i = 0; i < 3; i++) {
      assertEquals(200, list(port, keys.readKey()).statusCode(), "the burst");
    }
    HttpResponse<Buffer> refused = list(port, keys.readKey());
    JsonObject body = problem(refused, 429);
    assertEquals("1", refused.getHeader("Retry-After"));
    assertTrue(body.getString("detail").contains("api.rate-limit"), body.encode());
    // the count is per node: another api instance of this Vert.x shares it
    problem(list(sameNode, keys.readKey()), 429);
    // per key: the tenant's other key, another tenant's key and the admin key are untouched
    assertEquals(200, list(port, keys.writeKey()).statusCode());
    assertEquals(200, list(port, keys.otherKey()).statusCode());
    assertEquals(200, api.call(port, HttpMethod.GET, "/api/v1/tenants", api.adminKey, null).statusCode());
    // refused before the key is known: nothing to count against
    problem(list(port, null), 401);

    Thread.sleep(1_100);
    assertEquals(200, list(port, keys.readKey()).statusCode(), "a token refilled after Retry-After");
  }

  @Test
  void rateLimitZeroIsOff() {
    int port = api.deploy(api.config().put("api.rate-limit", 0).put("api.rate-limit-burst", 1)).actualPort();
    for (int i = 0; i < 20; i++) {
      assertEquals(200, list(port, keys.writeKey()).statusCode());
    }
  }

  @Test
  void theRateLimitKeepsAtMostMaxKeysBuckets() {
    RateLimits limits = RateLimits.of(api.vertx, 5, 1);
    long now = System.nanoTime();
    UUID first = UUID.randomUUID();
    assertEquals(0, limits.take(first, now));
    assertTrue(limits.take(first, now) > 0, "burst 1: the second request at once waits");
    for (int i = 0; i < RateLimits.MAX_KEYS + 500; i++) {
      limits.take(UUID.randomUUID(), now);
    }
    assertEquals(RateLimits.MAX_KEYS, limits.size());
    // the least recently used bucket went first: that key starts again full
    assertEquals(0, limits.take(first, now));
  }

  @Test
  void aFullPoolWaitQueueIs503WithRetryAfter() throws Exception {
    // one connection, one waiter
    int port = api.deploy(api.config().put("pg.pool-size", 1).put("pg.max-wait-queue", 1)).actualPort();
    // keys used within the minute skip their last_used_at write, which would take the waiting slot unpredictably
    list(api.verticle().actualPort(), keys.writeKey());
    list(api.verticle().actualPort(), keys.readKey());
    awaitCount("SELECT count(*) FROM api_keys WHERE tenant_id = $1 AND last_used_at IS NOT NULL", 2,
        UUID.fromString(keys.tenantId()));
    SqlConnection locker = await(api.db.getConnection());
    await(locker.begin());
    try {
      // creating a device locks its tenant row: holding that lock parks the create on the pool's only connection
      await(locker.preparedQuery("SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE")
          .execute(Tuple.of(UUID.fromString(keys.tenantId()))));
      Future<HttpResponse<Buffer>> create = sendOn(port, HttpMethod.POST, "/api/v1/devices", keys.writeKey(),
          new JsonObject().put("kind", "mqtt").put("externalId", "aa:bb:cc:00:0f:01").put("name", "parked"));
      awaitLockWaiter();
      Future<HttpResponse<Buffer>> waiting = sendOn(port, HttpMethod.GET, "/api/v1/devices", keys.readKey(), null);
      Thread.sleep(200); // now in the wait queue, which is full

      HttpResponse<Buffer> refused = list(port, keys.readKey());
      JsonObject body = problem(refused, 503);
      assertEquals("1", refused.getHeader("Retry-After"));
      assertTrue(body.getString("detail").contains("pg.max-wait-queue"), body.encode());

      await(locker.close()); // releases the lock
      assertEquals(201, await(create).statusCode(), await(create).bodyAsString());
      assertEquals(200, await(waiting).statusCode());
    } finally {
      locker.close();
    }
  }

  private static Future<HttpResponse<Buffer>> sendOn(int port, HttpMethod method, String path, String token,
      JsonObject body) {
    var request = api.client.request(method, port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + token);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  private static void awaitLockWaiter() throws InterruptedException {
    awaitCount("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        1);
  }

  private static void awaitCount(String sql, long expected, Object... params) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (api.count(sql, params) != expected) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("never " + expected + ": " + sql);
      }
      Thread.sleep(20);
    }
  }
}
