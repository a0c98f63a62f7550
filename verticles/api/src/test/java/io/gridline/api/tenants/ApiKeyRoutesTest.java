package io.gridline.api.tenants;

import static io.gridline.api.ApiFixture.await;
import static io.gridline.api.ApiFixture.invalid;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.gridline.contracts.registry.ApiKeyRevoked;
import io.gridline.contracts.registry.RegistryAddresses;
import io.gridline.runtime.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ApiKeyRoutesTest {
  private static ApiFixture api;
  private static Vertx vertx;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    api = ApiFixture.start(v);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void issuedKeyIsShownOnceAndStoredAsItsHash() {
    String tenant = api.createTenant("keys", 5).getString("id");
    HttpResponse<Buffer> r = api.post("/api/v1/tenants/" + tenant + "/api-keys", api.adminKey,
        new JsonObject().put("role", "read").put("name", "dashboard"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("no-store", r.getHeader("Cache-Control"));
    JsonObject issued = r.bodyAsJsonObject();
    String token = issued.getString("key");
    assertTrue(token.matches("glk_[A-Za-z0-9_-]{43}"), token);
    assertEquals("read", issued.getString("role"));
    assertEquals("dashboard", issued.getString("name"));
    UUID keyId = UUID.fromString(issued.getString("id"));

    Row stored = api.row("SELECT token_hash, role, tenant_id FROM api_keys WHERE id = $1", keyId);
    assertEquals(Buffer.buffer(Tokens.hash(token)), stored.getBuffer("token_hash"));
    assertEquals("read", stored.getString("role"));
    assertEquals(0, api.count("SELECT count(*) FROM api_keys k WHERE strpos(row_to_json(k)::text, $1) > 0", token));

    JsonObject list = api.get("/api/v1/tenants/" + tenant + "/api-keys", api.adminKey).bodyAsJsonObject();
    assertEquals(1, list.getInteger("total"));
    JsonObject listed = list.getJsonArray("items").getJsonObject(0);
    assertEquals(issued.getString("id"), listed.getString("id"));
    assertEquals("read", listed.getString("role"));
    assertFalse(listed.containsKey("key"), listed.encode());
    assertFalse(list.encode().contains(token));
  }

  @Test
  void revocationIsImmediateAndAnnounced() throws Exception {
    String tenant = api.createTenant("revoking", 5).getString("id");
    String token = api.createKey(tenant, "write");
    String other = api.createKey(tenant, "read");
    assertEquals(200, api.get("/api/v1/devices", token).statusCode());
    String keyId = api.row("SELECT id FROM api_keys WHERE token_hash = $1", Buffer.buffer(Tokens.hash(token)))
        .getUUID(0).toString();

    BlockingQueue<ApiKeyRevoked> revoked = new LinkedBlockingQueue<>();
    MessageConsumer<ApiKeyRevoked> consumer =
        vertx.eventBus().consumer(RegistryAddresses.API_KEY_REVOKED, m -> revoked.add(m.body()));
    await(consumer.completion());
    try {
      assertEquals(204, api.delete("/api/v1/tenants/" + tenant + "/api-keys/" + keyId, api.adminKey).statusCode());
      // The very next request is refused: keys are checked against the table on every request.
      HttpResponse<Buffer> after = api.get("/api/v1/devices", token);
      problem(after, 401);
      assertTrue(after.getHeader("WWW-Authenticate").startsWith("Bearer"));
      assertEquals(new ApiKeyRevoked(keyId, tenant), revoked.poll(5, TimeUnit.SECONDS));

      assertEquals(200, api.get("/api/v1/devices", other).statusCode());
      problem(api.delete("/api/v1/tenants/" + tenant + "/api-keys/" + keyId, api.adminKey), 404);
      List<String> listed = api.get("/api/v1/tenants/" + tenant + "/api-keys", api.adminKey).bodyAsJsonObject()
          .getJsonArray("items").stream().map(k -> ((JsonObject) k).getString("id")).toList();
      assertFalse(listed.contains(keyId));
      assertEquals(1, listed.size());
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void lastUsedAtIsRecordedAtMostOncePerMinute() throws Exception {
    String tenant = api.createTenant("usage", 5).getString("id");
    String token = api.createKey(tenant, "read");
    Buffer hash = Buffer.buffer(Tokens.hash(token));
    assertNull(api.row("SELECT last_used_at FROM api_keys WHERE token_hash = $1", hash).getValue(0));

    assertEquals(200, api.get("/api/v1/devices", token).statusCode());
    OffsetDateTime first = waitForLastUse(hash);
    assertNotNull(first);
    JsonObject listed = api.get("/api/v1/tenants/" + tenant + "/api-keys", api.adminKey).bodyAsJsonObject()
        .getJsonArray("items").getJsonObject(0);
    assertNotNull(listed.getString("lastUsedAt"));

    for (int i = 0; i < 3; i++) {
      assertEquals(200, api.get("/api/v1/devices", token).statusCode());
    }
    Thread.sleep(200);
    assertEquals(first, api.row("SELECT last_used_at FROM api_keys WHERE token_hash = $1", hash).getOffsetDateTime(0));
  }

  private static OffsetDateTime waitForLastUse(Buffer hash) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      OffsetDateTime t = api.row("SELECT last_used_at FROM api_keys WHERE token_hash = $1", hash).getOffsetDateTime(0);
      if (t != null) {
        return t;
      }
      Thread.sleep(50);
    }
    return null;
  }

  @Test
  void invalidRequestsNameTheirFields() {
    String tenant = api.createTenant("key-validation", 5).getString("id");
    String path = "/api/v1/tenants/" + tenant + "/api-keys";
    invalid(api.post(path, api.adminKey, new JsonObject()), "role");
    invalid(api.post(path, api.adminKey, new JsonObject().put("role", "admin")), "role");
    invalid(api.post(path, api.adminKey, new JsonObject().put("role", "write").put("name", 5)), "name");
    invalid(api.post(path, api.adminKey, new JsonObject().put("role", "write").put("key", "glk_mine")), "key");
    invalid(api.post(path, api.adminKey, "not json"), "body");
    invalid(api.post("/api/v1/tenants/nope/api-keys", api.adminKey, new JsonObject().put("role", "read")), "id");
    invalid(api.delete(path + "/nope", api.adminKey), "keyId");
    invalid(api.get(path + "?size=0", api.adminKey), "size");

    String missing = "/api/v1/tenants/" + UUID.randomUUID() + "/api-keys";
    problem(api.post(missing, api.adminKey, new JsonObject().put("role", "read")), 404);
    problem(api.get(missing, api.adminKey), 404);
    problem(api.delete(missing + "/" + UUID.randomUUID(), api.adminKey), 404);
  }

  @Test
  void aKeyCannotBeRevokedThroughAnotherTenant() {
    String a = api.createTenant("owner", 5).getString("id");
    String b = api.createTenant("stranger", 5).getString("id");
    String token = api.createKey(a, "write");
    String keyId = api.get("/api/v1/tenants/" + a + "/api-keys", api.adminKey).bodyAsJsonObject()
        .getJsonArray("items").getJsonObject(0).getString("id");
    problem(api.delete("/api/v1/tenants/" + b + "/api-keys/" + keyId, api.adminKey), 404);
    assertEquals(200, api.get("/api/v1/devices", token).statusCode());
  }
}
