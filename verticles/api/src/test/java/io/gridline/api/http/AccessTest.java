package io.gridline.api.http;

import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.gridline.runtime.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may call what: the admin/tenant split, roles, and tenant isolation on every route; and that the key is checked
 * before the body is read.
 */
@ExtendWith(VertxExtension.class)
class AccessTest {
  private static ApiFixture api;
  private static String tenantA;
  private static String writeA;
  private static String readA;
  private static String writeB;
  private static String readB;
  private static JsonObject deviceA;

  /** A route and a body it would accept. */
  record Call(HttpMethod method, String path, JsonObject body) {}

  @BeforeAll
  static void start(Vertx vertx) {
    api = ApiFixture.start(vertx);
    tenantA = api.createTenant("tenant-a", 10).getString("id");
    String tenantB = api.createTenant("tenant-b", 10).getString("id");
    writeA = api.createKey(tenantA, "write");
    readA = api.createKey(tenantA, "read");
    writeB = api.createKey(tenantB, "write");
    readB = api.createKey(tenantB, "read");
    deviceA = api.createDevice(writeA, "mqtt", "aa:bb:cc:dd:00:01", "a's device");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static List<Call> adminRoutes() {
    String keyId = api.get("/api/v1/tenants/" + tenantA + "/api-keys", api.adminKey).bodyAsJsonObject()
        .getJsonArray("items").getJsonObject(0).getString("id");
    JsonObject tenant = new JsonObject().put("name", "hijacked").put("maxDevices", 1000);
    return List.of(
        new Call(HttpMethod.POST, "/api/v1/tenants", tenant),
        new Call(HttpMethod.GET, "/api/v1/tenants", null),
        new Call(HttpMethod.GET, "/api/v1/tenants/" + tenantA, null),
        new Call(HttpMethod.PUT, "/api/v1/tenants/" + tenantA, tenant),
        new Call(HttpMethod.DELETE, "/api/v1/tenants/" + tenantA, null),
        new Call(HttpMethod.POST, "/api/v1/tenants/" + tenantA + "/api-keys", new JsonObject().put("role", "write")),
        new Call(HttpMethod.GET, "/api/v1/tenants/" + tenantA + "/api-keys", null),
        new Call(HttpMethod.DELETE, "/api/v1/tenants/" + tenantA + "/api-keys/" + keyId, null));
  }

  private static List<Call> deviceWriteRoutes() {
    String one = "/api/v1/devices/" + deviceA.getLong("id");
    return List.of(
        new Call(HttpMethod.POST, "/api/v1/devices",
            new JsonObject().put("kind", "mqtt").put("externalId", "aa:bb:cc:dd:00:99").put("name", "new")),
        new Call(HttpMethod.PUT, one, new JsonObject().put("name", "changed")),
        new Call(HttpMethod.DELETE, one, null));
  }

  private static List<Call> deviceRoutes() {
    String one = "/api/v1/devices/" + deviceA.getLong("id");
    return List.of(
        new Call(HttpMethod.GET, "/api/v1/devices", null),
        new Call(HttpMethod.GET, one, null),
        deviceWriteRoutes().get(0), deviceWriteRoutes().get(1), deviceWriteRoutes().get(2));
  }

  private static List<Call> everyProtectedRoute() {
    return java.util.stream.Stream.concat(adminRoutes().stream(), deviceRoutes().stream()).toList();
  }

  private static HttpResponse<Buffer> call(Call c, String token) {
    return api.call(c.method(), c.path(), token, c.body());
  }

  private static void assertUnchanged() {
    assertEquals(deviceA, api.get("/api/v1/devices/" + deviceA.getLong("id"), writeA).bodyAsJsonObject());
    assertEquals("tenant-a", api.get("/api/v1/tenants/" + tenantA, api.adminKey).bodyAsJsonObject().getString("name"));
    assertEquals(2, api.count("SELECT count(*) FROM tenants"));
    assertEquals(1, api.count("SELECT count(*) FROM devices"));
    assertEquals(4, api.count("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL"));
  }

  @Test
  void missingOrUnknownKeysAre401WithAChallenge() throws Exception {
    List<String> badTokens = List.of("glk_" + "A".repeat(43), Tokens.generate(Tokens.API_KEY_PREFIX), "not-a-key",
        api.adminKey + "x", writeA.substring(0, writeA.length() - 1));
    for (Call c : everyProtectedRoute()) {
      HttpResponse<Buffer> none = call(c, null);
      problem(none, 401);
      assertEquals("Bearer realm=\"gridline\"", none.getHeader("WWW-Authenticate"), c.toString());
      for (String token : badTokens) {
        HttpResponse<Buffer> r = call(c, token);
        problem(r, 401);
        assertTrue(r.getHeader("WWW-Authenticate").startsWith("Bearer"), c.toString());
      }
      HttpResponse<Buffer> basic = api.client.request(c.method(), api.verticle().actualPort(), "127.0.0.1", c.path())
          .putHeader("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
              ("x:" + writeA).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .send().await(20, java.util.concurrent.TimeUnit.SECONDS);
      problem(basic, 401);
    }
    assertUnchanged();
  }

  @Test
  void tenantKeysOnAdminRoutesAre403() {
    for (Call c : adminRoutes()) {
      for (String token : List.of(writeA, readA, writeB)) {
        problem(call(c, token), 403);
      }
    }
    assertUnchanged();
  }

  @Test
  void theAdminKeyHasNoTenantSoDeviceRoutesAre403() {
    for (Call c : deviceRoutes()) {
      problem(call(c, api.adminKey), 403);
    }
    assertUnchanged();
  }

  @Test
  void readKeysOnWriteRoutesAre403() {
    for (Call c : deviceWriteRoutes()) {
      JsonObject refused = problem(call(c, readA), 403);
      assertTrue(refused.getString("detail").contains("read"), refused.encode());
    }
    assertUnchanged();
    // Reads are fine with either role.
    for (String token : List.of(readA, writeA)) {
      assertEquals(200, api.get("/api/v1/devices", token).statusCode());
      assertEquals(200, api.get("/api/v1/devices/" + deviceA.getLong("id"), token).statusCode());
    }
  }

  @Test
  void anotherTenantsDeviceIsNotFoundOnEveryRoute() {
    String one = "/api/v1/devices/" + deviceA.getLong("id");
    for (String token : List.of(writeB, readB)) {
      problem(api.get(one, token), 404);
      JsonObject listed = api.get("/api/v1/devices", token).bodyAsJsonObject();
      assertEquals(0, listed.getInteger("total"));
    }
    problem(api.put(one, writeB, new JsonObject().put("name", "stolen")), 404);
    problem(api.put(one, writeB, deviceA.copy().put("name", "stolen")), 404);
    problem(api.delete(one, writeB), 404);
    // A read key of another tenant is refused for its role before anything is looked up.
    problem(api.delete(one, readB), 403);
    assertUnchanged();
    assertFalse(api.get("/api/v1/devices?kind=mqtt", writeB).bodyAsString().contains("aa:bb:cc:dd:00:01"));
  }

  /** A response read on the client's own thread, so no byte of its body can arrive before the handler. */
  private record Answer(int status, Buffer body) {}

  private static Future<Answer> answer(HttpClientRequest request) {
    return request.response().compose(r -> r.body().map(b -> new Answer(r.statusCode(), b)));
  }

  @Test
  void anUnauthenticatedPostIsRefusedBeforeItsBodyIsRead() throws Exception {
    HttpClient http = api.vertx.createHttpClient();
    try {
      HttpClientRequest post = http.request(HttpMethod.POST, api.verticle().actualPort(), "127.0.0.1",
          "/api/v1/devices").await(5, TimeUnit.SECONDS);
      Promise<Void> closed = Promise.promise();
      post.setChunked(true).putHeader("Content-Type", "application/json")
          .putHeader("Authorization", "Bearer glk_" + "B".repeat(43));
      post.exceptionHandler(err -> { });
      post.connection().closeHandler(v -> closed.tryComplete());
      post.write("{\"kind\": \"mqtt\", \"name\": \"");
      // the answer comes while the body is still being sent: nothing waited for (or buffered) the rest of it
      Answer refused = answer(post).await(5, TimeUnit.SECONDS);
      assertEquals(401, refused.status());
      assertTrue(refused.body().toString().contains("unknown API key"), refused.body().toString());
      // a client that streams on is cut off after a bounded amount, rather than read to the end
      Buffer chunk = Buffer.buffer("x".repeat(16_384));
      for (int i = 0; i < 64 && !closed.future().isComplete(); i++) {
        post.write(chunk);
      }
      closed.future().await(10, TimeUnit.SECONDS);
    } finally {
      http.close();
    }
    assertUnchanged();
  }

  @Test
  void aBodyThatArrivesAfterTheKeyWasCheckedIsReadWhole() throws Exception {
    HttpClient http = api.vertx.createHttpClient();
    try {
      HttpClientRequest post = http.request(HttpMethod.POST, api.verticle().actualPort(), "127.0.0.1",
          "/api/v1/devices").await(5, TimeUnit.SECONDS);
      post.setChunked(true).putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer " + writeA);
      post.write("{\"kind\": \"mqtt\", ");
      Thread.sleep(300); // the key is looked up meanwhile, with the request paused
      post.end("\"externalId\": \"aa:bb:cc:dd:00:42\", \"name\": \"late\"}");
      Answer created = answer(post).await(5, TimeUnit.SECONDS);
      JsonObject device = new JsonObject(created.body());
      assertEquals(201, created.status(), device.encode());
      assertEquals("late", device.getString("name"));
      assertEquals(204, api.delete("/api/v1/devices/" + device.getLong("id"), writeA).statusCode());
    } finally {
      http.close();
    }
    assertUnchanged();
  }

  @Test
  void theOpenApiDocumentNeedsNoKey() {
    assertEquals(200, api.get("/api/v1/openapi.json", null).statusCode());
    assertEquals(200, api.get("/api/v1/openapi.json", "garbage").statusCode());
  }

  @Test
  void bearerSchemeIsCaseInsensitive() throws Exception {
    HttpResponse<Buffer> r = api.client.get(api.verticle().actualPort(), "127.0.0.1", "/api/v1/devices")
        .putHeader("Authorization", "bearer " + readA).send().await(20, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertEquals(200, api.get("/api/v1/tenants/" + UUID.fromString(tenantA), api.adminKey).statusCode());
  }
}
