package io.gridline.api.webhooks;

import static io.gridline.api.ApiFixture.invalid;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.gridline.runtime.SecretBox;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhook subscriptions: CRUD, validation, the SSRF guard at subscription time, secrets shown once and stored sealed,
 * rotation, roles and tenant isolation. Targets are public IP literals, so no test depends on DNS.
 */
@ExtendWith(VertxExtension.class)
class WebhookRoutesTest {
  private static final String PUBLIC_URL = "https://93.184.215.14/hooks/gridline";
  private static ApiFixture api;
  /** A second api on the same database with webhooks.allow-http and webhooks.allow-private-targets on. */
  private static int permissivePort;
  private static SecretBox box;
  private static String tenant;
  private static String writeKey;
  private static String readKey;
  private static String otherKey;

  @BeforeAll
  static void start(Vertx vertx) {
    api = ApiFixture.start(vertx);
    permissivePort = api.deploy(api.config().put("webhooks.allow-http", true).put("webhooks.allow-private-targets", true))
        .actualPort();
    box = SecretBox.fromBase64(api.encryptionKey);
    ApiFixture.TenantKeys keys = api.tenantWithKeys("webhooks");
    tenant = keys.tenantId();
    writeKey = keys.writeKey();
    readKey = keys.readKey();
    otherKey = keys.otherKey();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static JsonObject body(String url, String... types) {
    return new JsonObject().put("url", url).put("eventTypes", new JsonArray(List.of(types)));
  }

  private static JsonObject create(String token, JsonObject body) {
    HttpResponse<Buffer> r = api.post("/api/v1/webhooks", token, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static String opened(byte[] sealed, String id) {
    return new String(box.open(sealed, id.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void createShowsTheGeneratedSecretOnceAndStoresItSealed() {
    HttpResponse<Buffer> r = api.post("/api/v1/webhooks", writeKey, body(PUBLIC_URL, "charging.*", "device.online")
        .put("headers", new JsonObject().put("Authorization", "Bearer abc")));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("no-store", r.getHeader("Cache-Control"));
    JsonObject w = r.bodyAsJsonObject();
    String id = w.getString("id");
    String secret = w.getString("secret");
    assertTrue(secret.matches("whsec_[A-Za-z0-9_-]{43}"), secret);
    assertEquals(PUBLIC_URL, w.getString("url"));
    assertEquals(new JsonArray().add("charging.*").add("device.online"), w.getJsonArray("eventTypes"));
    assertEquals(new JsonObject().put("Authorization", "Bearer abc"), w.getJsonObject("headers"));
    assertEquals(true, w.getBoolean("active"));
    assertTrue(w.containsKey("statusNote") && w.getString("statusNote") == null);
    assertNull(w.getString("secretRotatedOverlapUntil"));
    assertNotNull(w.getString("createdAt"));

    Row row = api.row("SELECT secret, tenant_id::text FROM webhook_subscriptions WHERE id = $1", UUID.fromString(id));
    byte[] stored = row.getBuffer(0).getBytes();
    assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(secret.substring(6)), "stored in clear");
    assertEquals(secret, opened(stored, id));
    assertThrows(IllegalArgumentException.class, () -> opened(stored, UUID.randomUUID().toString()));
    assertEquals(tenant, row.getString(1));

    JsonObject read = api.get("/api/v1/webhooks/" + id, writeKey).bodyAsJsonObject();
    assertFalse(read.containsKey("secret"), read.encode());
    w.remove("secret");
    assertEquals(w, read);
    JsonObject readOnly = api.get("/api/v1/webhooks/" + id, readKey).bodyAsJsonObject();
    assertEquals(w.copy().put("headers", new JsonObject().put("Authorization", "***")), readOnly);
    JsonArray listed = api.get("/api/v1/webhooks", readKey).bodyAsJsonObject().getJsonArray("items");
    listed.forEach(item -> assertFalse(((JsonObject) item).containsKey("secret")));
  }

  private static JsonObject openedHeaders(UUID id) {
    Row row = api.row("SELECT headers, headers_sealed FROM webhook_subscriptions WHERE id = $1", id);
    assertEquals(new JsonObject(), row.getJsonObject(0), "no plaintext headers");
    return new JsonObject(Buffer.buffer(box.open(row.getBuffer(1).getBytes(),
        id.toString().getBytes(StandardCharsets.UTF_8))));
  }

  private static JsonObject headersOf(String id, String token) {
    return api.get("/api/v1/webhooks/" + id, token).bodyAsJsonObject().getJsonObject("headers");
  }

  @Test
  void customHeadersAreStoredSealedAndTheirValuesShownOnlyToWriteKeys() {
    JsonObject headers = new JsonObject().put("Authorization", "Bearer receivers-s3cret").put("X-Api-Key", "k-12345");
    String id = create(writeKey, body(PUBLIC_URL, "*").put("headers", headers)).getString("id");
    UUID uuid = UUID.fromString(id);

    assertEquals(headers, openedHeaders(uuid));
    byte[] sealed = api.row("SELECT headers_sealed FROM webhook_subscriptions WHERE id = $1", uuid).getBuffer(0)
        .getBytes();
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("receivers-s3cret"), "stored in clear");
    assertThrows(IllegalArgumentException.class, () -> box.open(sealed,
        UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)), "opens only as this subscription's");

    JsonObject redacted = new JsonObject().put("Authorization", "***").put("X-Api-Key", "***");
    assertEquals(headers, headersOf(id, writeKey));
    assertEquals(redacted, headersOf(id, readKey));
    JsonObject listedRead = api.get("/api/v1/webhooks", readKey).bodyAsJsonObject().getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(item -> id.equals(item.getString("id"))).findFirst().orElseThrow();
    assertEquals(redacted, listedRead.getJsonObject("headers"));
    assertFalse(listedRead.encode().contains("receivers-s3cret"));

    JsonObject replaced = new JsonObject().put("Authorization", "Bearer rotated-s3cret");
    HttpResponse<Buffer> r = api.put("/api/v1/webhooks/" + id, writeKey, body(PUBLIC_URL, "*").put("headers", replaced));
    assertEquals(replaced, r.bodyAsJsonObject().getJsonObject("headers"));
    assertEquals(replaced, openedHeaders(uuid));
  }

  @Test
  void plaintextHeadersOfAnOlderRowStillWorkAndAreSealedByTheNextWrite() {
    JsonObject legacy = new JsonObject().put("X-Legacy", "old-value");
    String rotated = create(writeKey, body(PUBLIC_URL, "*")).getString("id");
    String replaced = create(writeKey, body(PUBLIC_URL, "*")).getString("id");
    for (String id : List.of(rotated, replaced)) {
      // as a row written before V7 looks
      api.row("UPDATE webhook_subscriptions SET headers = $2, headers_sealed = NULL WHERE id = $1", UUID.fromString(id),
          legacy);
      assertEquals(legacy, headersOf(id, writeKey));
      assertEquals(new JsonObject().put("X-Legacy", "***"), headersOf(id, readKey));
    }

    assertEquals(200, api.post("/api/v1/webhooks/" + rotated + "/rotate-secret", writeKey, null).statusCode());
    assertEquals(legacy, openedHeaders(UUID.fromString(rotated)));
    assertEquals(legacy, headersOf(rotated, writeKey));

    JsonObject fresh = new JsonObject().put("X-New", "v2");
    assertEquals(200, api.put("/api/v1/webhooks/" + replaced, writeKey, body(PUBLIC_URL, "*").put("headers", fresh))
        .statusCode());
    assertEquals(fresh, openedHeaders(UUID.fromString(replaced)));
  }

  @Test
  void aGivenSecretIsKeptAndInactiveSubscriptionsCanBeCreated() {
    JsonObject w = create(writeKey, body(PUBLIC_URL, "*").put("secret", "my-receivers-secret-123").put("active", false));
    assertEquals("my-receivers-secret-123", w.getString("secret"));
    assertEquals(false, w.getBoolean("active"));
    Row row = api.row("SELECT secret FROM webhook_subscriptions WHERE id = $1", UUID.fromString(w.getString("id")));
    assertEquals("my-receivers-secret-123", opened(row.getBuffer(0).getBytes(), w.getString("id")));
  }

  @Test
  void invalidBodiesNameEveryBadField() {
    String path = "/api/v1/webhooks";
    invalid(api.post(path, writeKey, new JsonObject()), "url", "eventTypes");
    invalid(api.post(path, writeKey, "[]"), "body");
    invalid(api.post(path, writeKey, body(PUBLIC_URL)), "eventTypes");
    invalid(api.post(path, writeKey, new JsonObject().put("url", PUBLIC_URL).put("eventTypes", "charging.*")),
        "eventTypes");
    invalid(api.post(path, writeKey, body(PUBLIC_URL, "ok.*", "Charging.*", "a b", "x".repeat(101))),
        "eventTypes[1]", "eventTypes[2]", "eventTypes[3]");
    invalid(api.post(path, writeKey, new JsonObject().put("url", 5).put("eventTypes", new JsonArray().add(1))),
        "url", "eventTypes[0]");
    invalid(api.post(path, writeKey, body(PUBLIC_URL, "*").put("headers", new JsonObject()
            .put("X-Gridline-Signature", "x").put("content-type", "text/plain").put("Host", "evil").put("bad name", "v")
            .put("X-Ok", 5).put("X-Crlf", "a\r\nInjected: 1"))),
        "headers.X-Gridline-Signature", "headers.content-type", "headers.Host", "headers.bad name", "headers.X-Ok",
        "headers.X-Crlf");
    invalid(api.post(path, writeKey, body(PUBLIC_URL, "*").put("headers", new JsonObject().put("X-A", "1")
        .put("x-a", "2"))), "headers.x-a");
    JsonObject many = new JsonObject();
    for (int i = 0; i < 21; i++) {
      many.put("X-H" + i, "v");
    }
    invalid(api.post(path, writeKey, body(PUBLIC_URL, "*").put("headers", many)), "headers");
    invalid(api.post(path, writeKey, body(PUBLIC_URL, "*").put("headers", "x")), "headers");
    invalid(api.post(path, writeKey, body(PUBLIC_URL, "*").put("active", "yes").put("secret", "short")
        .put("extra", 1)), "active", "secret", "extra");
    assertEquals(0L, api.count("SELECT count(*) FROM webhook_subscriptions WHERE url = $1 AND "
        + "'ok.*' = ANY (event_types)", PUBLIC_URL));
  }

  @Test
  void theSsrfGuardRefusesPlainHttpAndPrivateTargetsUnlessAllowed() {
    for (String url : List.of("http://93.184.215.14/hook", "https://127.0.0.1/hook", "https://localhost/hook",
        "https://10.1.2.3/hook", "https://[::1]/hook", "https://100.64.0.1/hook", "ftp://93.184.215.14/x",
        "https://user:pw@93.184.215.14/x", "not a url", "https://no-such-host.invalid/hook")) {
      JsonObject p = problem(api.post("/api/v1/webhooks", writeKey, body(url, "*")), 422);
      assertEquals("urn:gridline:problem:webhook-target-refused", p.getString("type"), url);
      assertEquals("url", p.getJsonArray("errors").getJsonObject(0).getString("field"));
    }
    assertTrue(problem(api.post("/api/v1/webhooks", writeKey, body("http://93.184.215.14/hook", "*")), 422)
        .getString("detail").contains("webhooks.allow-http"));
    JsonObject p = problem(api.post("/api/v1/webhooks", writeKey, body("https://127.0.0.1/hook", "*")), 422);
    assertTrue(p.getString("detail").contains("loopback") && p.getString("detail").contains("allow-private-targets"),
        p.encode());
    assertTrue(problem(api.post("/api/v1/webhooks", writeKey, body("https://localhost/hook", "*")), 422)
        .getString("detail").contains("loopback"));
    assertEquals(0L, api.count("SELECT count(*) FROM webhook_subscriptions WHERE url LIKE '%127.0.0.1%' "
        + "OR url LIKE '%localhost%'"));

    // with both flags on, the same targets are accepted
    for (String url : List.of("http://127.0.0.1:9/hook", "http://localhost/hook", "https://10.1.2.3/hook")) {
      HttpResponse<Buffer> r = api.call(permissivePort, HttpMethod.POST, "/api/v1/webhooks", writeKey, body(url, "*"));
      assertEquals(201, r.statusCode(), url + ": " + r.bodyAsString());
    }
    // and the guard applies to PUT as well
    String id = create(writeKey, body(PUBLIC_URL, "*")).getString("id");
    problem(api.put("/api/v1/webhooks/" + id, writeKey, body("https://192.168.1.1/x", "*")), 422);
  }

  @Test
  void putReplacesAndReactivatingClearsTheDisabledNote() {
    JsonObject w = create(writeKey, body(PUBLIC_URL, "*").put("headers", new JsonObject().put("X-A", "1")));
    String id = w.getString("id");
    UUID uuid = UUID.fromString(id);
    byte[] sealed = api.row("SELECT secret FROM webhook_subscriptions WHERE id = $1", uuid).getBuffer(0).getBytes();
    // what the webhooks verticle does after webhooks.disable-after dead deliveries in a row
    api.row("UPDATE webhook_subscriptions SET active = false, status_note = 'webhook.disabled: 20 deliveries dead in a "
        + "row', consecutive_dead = 20 WHERE id = $1", uuid);
    JsonObject disabled = api.get("/api/v1/webhooks/" + id, readKey).bodyAsJsonObject();
    assertEquals(false, disabled.getBoolean("active"));
    assertTrue(disabled.getString("statusNote").startsWith("webhook.disabled"));

    // PUT what was read, with a new url and types: read-only fields are ignored; absent headers become {}
    JsonObject replacement = disabled.copy().put("url", "https://93.184.215.15/v2")
        .put("eventTypes", new JsonArray().add("device.*")).put("active", true);
    replacement.remove("headers");
    HttpResponse<Buffer> r = api.put("/api/v1/webhooks/" + id, writeKey, replacement);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject updated = r.bodyAsJsonObject();
    assertEquals("https://93.184.215.15/v2", updated.getString("url"));
    assertEquals(new JsonArray().add("device.*"), updated.getJsonArray("eventTypes"));
    assertEquals(new JsonObject(), updated.getJsonObject("headers"));
    assertEquals(true, updated.getBoolean("active"));
    assertNull(updated.getString("statusNote"));
    assertFalse(updated.containsKey("secret"));
    Row row = api.row("SELECT consecutive_dead, secret FROM webhook_subscriptions WHERE id = $1", uuid);
    assertEquals(0, row.getInteger(0));
    assertArrayEquals(sealed, row.getBuffer(1).getBytes()); // PUT never touches the secret

    // a user's own deactivation keeps the counters; absent active means true
    api.row("UPDATE webhook_subscriptions SET consecutive_dead = 3 WHERE id = $1", uuid);
    assertEquals(false, api.put("/api/v1/webhooks/" + id, writeKey, body(PUBLIC_URL, "*").put("active", false))
        .bodyAsJsonObject().getBoolean("active"));
    assertEquals(3, api.row("SELECT consecutive_dead FROM webhook_subscriptions WHERE id = $1", uuid).getInteger(0));
    assertEquals(true, api.put("/api/v1/webhooks/" + id, writeKey, body(PUBLIC_URL, "*")).bodyAsJsonObject()
        .getBoolean("active"));

    invalid(api.put("/api/v1/webhooks/" + id, writeKey, body(PUBLIC_URL, "*").put("secret", "a-new-secret-12345")),
        "secret");
    invalid(api.put("/api/v1/webhooks/" + id, writeKey, new JsonObject()), "url", "eventTypes");
  }

  @Test
  void rotateSecretKeepsThePreviousOneSigningForTheOverlap() {
    JsonObject w = create(writeKey, body(PUBLIC_URL, "*"));
    String id = w.getString("id");
    String first = w.getString("secret");
    HttpResponse<Buffer> r = api.post("/api/v1/webhooks/" + id + "/rotate-secret", writeKey, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("no-store", r.getHeader("Cache-Control"));
    String second = r.bodyAsJsonObject().getString("secret");
    assertTrue(second.matches("whsec_[A-Za-z0-9_-]{43}"), second);
    assertNotEquals(first, second);
    Row row = api.row("SELECT secret, previous_secret, previous_secret_until FROM webhook_subscriptions WHERE id = $1",
        UUID.fromString(id));
    assertEquals(second, opened(row.getBuffer(0).getBytes(), id));
    assertEquals(first, opened(row.getBuffer(1).getBytes(), id));
    // webhooks.secret-overlap defaults to PT24H
    Duration left = Duration.between(OffsetDateTime.now(), row.getOffsetDateTime(2));
    assertTrue(left.compareTo(Duration.ofHours(23)) > 0 && left.compareTo(Duration.ofHours(25)) < 0, left.toString());
    assertEquals(r.bodyAsJsonObject().getString("secretRotatedOverlapUntil"),
        api.get("/api/v1/webhooks/" + id, readKey).bodyAsJsonObject().getString("secretRotatedOverlapUntil"));
    assertNotNull(r.bodyAsJsonObject().getString("secretRotatedOverlapUntil"));

    problem(api.post("/api/v1/webhooks/" + id + "/rotate-secret", readKey, null), 403);
    problem(api.post("/api/v1/webhooks/" + id + "/rotate-secret", otherKey, null), 404);
    assertEquals(second, opened(api.row("SELECT secret FROM webhook_subscriptions WHERE id = $1", UUID.fromString(id))
        .getBuffer(0).getBytes(), id));
  }

  @Test
  void anotherTenantsSubscriptionsAreNotFoundAndReadKeysOnlyRead() {
    String id = create(writeKey, body(PUBLIC_URL, "*")).getString("id");
    String path = "/api/v1/webhooks/" + id;
    problem(api.get(path, otherKey), 404);
    problem(api.put(path, otherKey, body(PUBLIC_URL, "x")), 404);
    problem(api.delete(path, otherKey), 404);
    assertFalse(api.get("/api/v1/webhooks", otherKey).bodyAsJsonObject().getJsonArray("items").stream()
        .anyMatch(item -> id.equals(((JsonObject) item).getString("id"))));
    assertEquals(200, api.get(path, readKey).statusCode());
    problem(api.post("/api/v1/webhooks", readKey, body(PUBLIC_URL, "*")), 403);
    problem(api.put(path, readKey, body(PUBLIC_URL, "*")), 403);
    problem(api.delete(path, readKey), 403);
    problem(api.get(path, null), 401);
    problem(api.get("/api/v1/webhooks", api.adminKey), 403);
    invalid(api.get("/api/v1/webhooks/not-a-uuid", readKey), "id");
    problem(api.get("/api/v1/webhooks/" + UUID.randomUUID(), readKey), 404);
  }

  @Test
  void deleteRemovesTheSubscriptionAndItsDeliveries() {
    String id = create(writeKey, body(PUBLIC_URL, "*")).getString("id");
    UUID uuid = UUID.fromString(id);
    api.row("INSERT INTO webhook_deliveries (subscription_id, tenant_id, event_id, event_type, body, occurred_at) "
        + "VALUES ($1, $2, $3, 'device.online', '{}', now())", uuid, UUID.fromString(tenant), UUID.randomUUID());
    assertEquals(204, api.delete("/api/v1/webhooks/" + id, writeKey).statusCode());
    problem(api.get("/api/v1/webhooks/" + id, readKey), 404);
    problem(api.delete("/api/v1/webhooks/" + id, writeKey), 404);
    assertEquals(0L, api.count("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = $1", uuid));
  }

  @Test
  void theListIsPagedInCreationOrder() {
    String t = api.createTenant("webhook-pages", 10).getString("id");
    String key = api.createKey(t, "write");
    for (int i = 0; i < 3; i++) {
      create(key, body("https://93.184.215.14/hook/" + i, "*"));
    }
    JsonObject page = api.get("/api/v1/webhooks?size=2&page=2", key).bodyAsJsonObject();
    assertEquals(3, page.getLong("total"));
    assertEquals(2, page.getInteger("page"));
    assertEquals(2, page.getInteger("size"));
    assertEquals(1, page.getJsonArray("items").size());
    assertEquals("https://93.184.215.14/hook/2", page.getJsonArray("items").getJsonObject(0).getString("url"));
    invalid(api.get("/api/v1/webhooks?size=0", key), "size");
  }

  @Test
  void aTenantHasAtMostAHundredSubscriptions() {
    String t = api.createTenant("webhook-limit", 10).getString("id");
    String key = api.createKey(t, "write");
    api.row("INSERT INTO webhook_subscriptions (id, tenant_id, url, event_types, secret) "
        + "SELECT gen_random_uuid(), $1, 'https://93.184.215.14/', '{*}', '\\x00'::bytea FROM generate_series(1, 100)",
        UUID.fromString(t));
    JsonObject p = problem(api.post("/api/v1/webhooks", key, body(PUBLIC_URL, "*")), 422);
    assertEquals("urn:gridline:problem:limit-reached", p.getString("type"));
  }
}
