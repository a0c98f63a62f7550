package io.gridline.api.tenants;

import static io.gridline.api.ApiFixture.invalid;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TenantRoutesTest {
  private static ApiFixture api;

  @BeforeAll
  static void start(Vertx vertx) {
    api = ApiFixture.start(vertx);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void createReadReplaceDelete() {
    JsonObject created = api.createTenant("acme", 10);
    String id = created.getString("id");
    assertEquals(id, UUID.fromString(id).toString());
    assertEquals("acme", created.getString("name"));
    assertEquals(10, created.getInteger("maxDevices"));
    assertTrue(created.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));

    HttpResponse<Buffer> got = api.get("/api/v1/tenants/" + id, api.adminKey);
    assertEquals(200, got.statusCode());
    assertEquals("application/json", got.getHeader("Content-Type"));
    assertEquals(created, got.bodyAsJsonObject());

    HttpResponse<Buffer> replaced = api.put("/api/v1/tenants/" + id, api.adminKey,
        new JsonObject().put("name", "acme industries").put("maxDevices", 25));
    assertEquals(200, replaced.statusCode(), replaced.bodyAsString());
    assertEquals("acme industries", replaced.bodyAsJsonObject().getString("name"));
    assertEquals(25, replaced.bodyAsJsonObject().getInteger("maxDevices"));
    assertEquals("acme industries", api.row("SELECT name FROM tenants WHERE id = $1", UUID.fromString(id)).getString(0));

    assertEquals(204, api.delete("/api/v1/tenants/" + id, api.adminKey).statusCode());
    problem(api.get("/api/v1/tenants/" + id, api.adminKey), 404);
    problem(api.put("/api/v1/tenants/" + id, api.adminKey, new JsonObject().put("name", "x").put("maxDevices", 1)), 404);
    problem(api.delete("/api/v1/tenants/" + id, api.adminKey), 404);
  }

  @Test
  void listIsPagedInCreationOrder() {
    List<String> ids = List.of(api.createTenant("page-a", 1), api.createTenant("page-b", 1), api.createTenant("page-c", 1))
        .stream().map(t -> t.getString("id")).toList();
    JsonObject all = api.get("/api/v1/tenants?size=500", api.adminKey).bodyAsJsonObject();
    List<String> allIds = all.getJsonArray("items").stream().map(t -> ((JsonObject) t).getString("id")).toList();
    int first = allIds.indexOf(ids.get(0));
    assertEquals(ids, allIds.subList(first, first + 3));
    assertEquals(all.getLong("total"), (long) allIds.size());

    JsonObject page = api.get("/api/v1/tenants?page=2&size=1", api.adminKey).bodyAsJsonObject();
    assertEquals(2, page.getInteger("page"));
    assertEquals(1, page.getInteger("size"));
    assertEquals(all.getLong("total"), page.getLong("total"));
    assertEquals(allIds.get(1), page.getJsonArray("items").getJsonObject(0).getString("id"));

    JsonObject defaults = api.get("/api/v1/tenants", api.adminKey).bodyAsJsonObject();
    assertEquals(1, defaults.getInteger("page"));
    assertEquals(50, defaults.getInteger("size"));

    JsonObject beyond = api.get("/api/v1/tenants?page=1000&size=500", api.adminKey).bodyAsJsonObject();
    assertEquals(new JsonArray(), beyond.getJsonArray("items"));
    assertEquals(all.getLong("total"), beyond.getLong("total"));
  }

  @Test
  void badPageAndSizeNameTheParameter() {
    invalid(api.get("/api/v1/tenants?page=0", api.adminKey), "page");
    invalid(api.get("/api/v1/tenants?page=-1", api.adminKey), "page");
    invalid(api.get("/api/v1/tenants?page=abc", api.adminKey), "page");
    invalid(api.get("/api/v1/tenants?size=0", api.adminKey), "size");
    invalid(api.get("/api/v1/tenants?size=501", api.adminKey), "size");
    invalid(api.get("/api/v1/tenants?size=1.5", api.adminKey), "size");
    invalid(api.get("/api/v1/tenants?page=x&size=y", api.adminKey), "page", "size");
  }

  @Test
  void invalidBodiesNameTheirFields() {
    String path = "/api/v1/tenants";
    invalid(api.post(path, api.adminKey, new JsonObject()), "name", "maxDevices");
    invalid(api.post(path, api.adminKey, new JsonObject().put("name", "ok").put("maxDevices", "5")), "maxDevices");
    invalid(api.post(path, api.adminKey, new JsonObject().put("name", "ok").put("maxDevices", 5.5)), "maxDevices");
    invalid(api.post(path, api.adminKey, new JsonObject().put("name", "ok").put("maxDevices", -1)), "maxDevices");
    invalid(api.post(path, api.adminKey, new JsonObject().put("name", "ok").put("maxDevices", 1_000_001)), "maxDevices");
    invalid(api.post(path, api.adminKey, new JsonObject().put("name", "ok").put("maxDevices", 1e30)), "maxDevices");
    invalid(api.post(path, api.adminKey, new JsonObject().put("name", "").put("maxDevices", 1)), "name");
    invalid(api.post(path, api.adminKey, new JsonObject().put("name", "x".repeat(201)).put("maxDevices", 1)), "name");
    invalid(api.post(path, api.adminKey, new JsonObject().put("name", 7).put("maxDevices", true)), "name", "maxDevices");
    invalid(api.post(path, api.adminKey, new JsonObject().put("name", "ok").put("maxDevices", 1).put("color", "red")),
        "color");
    invalid(api.post(path, api.adminKey, "{\"name\": \"ok\", "), "body");
    invalid(api.post(path, api.adminKey, "[1, 2]"), "body");
    invalid(api.post(path, api.adminKey, ""), "body");
    invalid(api.get("/api/v1/tenants/not-a-uuid", api.adminKey), "id");

    // Edge values are accepted: 0 devices, 1_000_000 devices, 200 characters, 5.0 as a whole number.
    api.createTenant("x".repeat(200), 0);
    assertEquals(1_000_000, api.createTenant("big", 1_000_000).getInteger("maxDevices"));
    HttpResponse<Buffer> whole = api.post(path, api.adminKey, "{\"name\": \"whole\", \"maxDevices\": 5.0}");
    assertEquals(201, whole.statusCode(), whole.bodyAsString());
    assertEquals(5, whole.bodyAsJsonObject().getInteger("maxDevices"));
  }

  @Test
  void oversizedBodyIs413() {
    JsonObject huge = new JsonObject().put("name", "x".repeat(20_000)).put("maxDevices", 1);
    problem(api.post("/api/v1/tenants", api.adminKey, huge), 413);
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    problem(api.get("/api/v1/nothing-here", api.adminKey), 404);
    problem(api.call(HttpMethod.PATCH, "/api/v1/tenants", api.adminKey, new JsonObject()), 405);
  }

  @Test
  void replaceMayLowerTheLimitBelowTheDeviceCount() {
    String tenant = api.createTenant("shrinking", 3).getString("id");
    String key = api.createKey(tenant, "write");
    api.createDevice(key, "instrument", "SHRINK-1", "one");
    api.createDevice(key, "instrument", "SHRINK-2", "two");

    HttpResponse<Buffer> lowered = api.put("/api/v1/tenants/" + tenant, api.adminKey,
        new JsonObject().put("name", "shrinking").put("maxDevices", 1));
    assertEquals(200, lowered.statusCode(), lowered.bodyAsString());
    assertEquals(2, api.get("/api/v1/devices", key).bodyAsJsonObject().getInteger("total"));
    problem(api.post("/api/v1/devices", key,
        new JsonObject().put("kind", "instrument").put("externalId", "SHRINK-3").put("name", "three")), 422);
  }

  @Test
  void deleteIsRefusedWhileTheTenantHasDevices() {
    String tenant = api.createTenant("with-devices", 5).getString("id");
    String key = api.createKey(tenant, "write");
    long device = api.createDevice(key, "instrument", "DEL-1", "one").getLong("id");

    JsonObject refused = problem(api.delete("/api/v1/tenants/" + tenant, api.adminKey), 409);
    assertTrue(refused.getString("detail").contains("devices"), refused.encode());
    assertEquals(200, api.get("/api/v1/tenants/" + tenant, api.adminKey).statusCode());

    assertEquals(204, api.delete("/api/v1/devices/" + device, key).statusCode());
    assertEquals(204, api.delete("/api/v1/tenants/" + tenant, api.adminKey).statusCode());
    // Its keys went with it.
    problem(api.get("/api/v1/devices", key), 401);
    assertEquals(0, api.count("SELECT count(*) FROM api_keys WHERE tenant_id = $1", UUID.fromString(tenant)));
  }
}
