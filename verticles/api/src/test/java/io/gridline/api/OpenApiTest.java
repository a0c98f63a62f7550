package io.gridline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The served OpenAPI document describes exactly the router's routes. */
@ExtendWith(VertxExtension.class)
class OpenApiTest {
  private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static ApiFixture api;
  private static JsonObject doc;

  @BeforeAll
  static void start(Vertx vertx) {
    api = ApiFixture.start(vertx);
    HttpResponse<Buffer> r = api.get("/api/v1/openapi.json", null);
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.getHeader("Content-Type"));
    doc = r.bodyAsJsonObject();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** "GET /api/v1/devices/{id}" for every route with a path and methods (the catch-all handlers have neither). */
  private static Set<String> routerOperations() {
    Set<String> ops = new TreeSet<>();
    for (Route route : api.verticle().router().getRoutes()) {
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      for (HttpMethod m : route.methods()) {
        ops.add(m.name() + " " + path);
      }
    }
    return ops;
  }

  private static Set<String> documentOperations() {
    Set<String> ops = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String key : paths.getJsonObject(path).fieldNames()) {
        if (OPERATIONS.contains(key)) {
          ops.add(key.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return ops;
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
    Set<String> routes = routerOperations();
    Set<String> documented = documentOperations();
    assertEquals(53, routes.size(), routes.toString()); // +4 chirpstack integration (v4, three v3 aliases); +13 lorawan gateways (4), devices (6), queue (3); +4: sensor-models (3), telemetry/dlq (1); +2 commands, certificate; +9 webhooks; +2 certificates list, revoke; +2 commands read
    Set<String> undocumented = new TreeSet<>(routes);
    undocumented.removeAll(documented);
    Set<String> phantom = new TreeSet<>(documented);
    phantom.removeAll(routes);
    assertEquals(Set.of(), undocumented, "routes missing from openapi.json");
    assertEquals(Set.of(), phantom, "documented operations the router does not serve");
  }

  @Test
  void documentIsOpenApi3WithBearerSecurity() {
    assertEquals("3.0.3", doc.getString("openapi"));
    assertNotNull(doc.getJsonObject("info").getString("title"));
    assertEquals("bearer",
        doc.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("bearer").getString("scheme"));
    assertEquals(new JsonArray().add(new JsonObject().put("bearer", new JsonArray())), doc.getJsonArray("security"));
    assertEquals(new JsonArray(), doc.getJsonObject("paths").getJsonObject("/api/v1/openapi.json")
        .getJsonObject("get").getJsonArray("security"));
  }

  @Test
  void everyOperationHasResponsesAndEveryReferenceResolves() {
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String key : item.fieldNames()) {
        if (OPERATIONS.contains(key)) {
          JsonObject responses = item.getJsonObject(key).getJsonObject("responses");
          assertTrue(responses != null && !responses.isEmpty(), key + " " + path);
          assertNotNull(item.getJsonObject(key).getString("operationId"), key + " " + path);
        }
      }
    }
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertTrue(refs.size() > 20, refs.toString());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/"), ref);
      Object target = doc;
      for (String part : ref.substring(2).split("/")) {
        target = target instanceof JsonObject o ? o.getValue(part) : null;
      }
      assertNotNull(target, "unresolved " + ref);
    }
  }

  @Test
  void everyOperationWithAKeyDocumentsTheRateLimitAndTheBusyDatabase() {
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String key : item.fieldNames()) {
        JsonObject op = OPERATIONS.contains(key) ? item.getJsonObject(key) : null;
        if (op == null || new JsonArray().equals(op.getJsonArray("security"))) {
          continue;
        }
        JsonObject responses = op.getJsonObject("responses");
        assertEquals("#/components/responses/TooManyRequests", responses.getJsonObject("429").getString("$ref"),
            key + " " + path);
        assertNotNull(responses.getJsonObject("503"), key + " " + path);
      }
    }
    for (String telemetry : List.of("/api/v1/devices/{id}/telemetry", "/api/v1/devices/{id}/telemetry/latest")) {
      assertEquals("#/components/responses/QueryTimeout", paths.getJsonObject(telemetry).getJsonObject("get")
          .getJsonObject("responses").getJsonObject("504").getString("$ref"));
    }
    JsonObject tooMany = doc.getJsonObject("components").getJsonObject("responses").getJsonObject("TooManyRequests");
    assertNotNull(tooMany.getJsonObject("headers").getJsonObject("Retry-After"));
  }

  private static void collectRefs(Object node, List<String> out) {
    if (node instanceof JsonObject o) {
      o.forEach(e -> {
        if (e.getKey().equals("$ref")) {
          out.add((String) e.getValue());
        } else {
          collectRefs(e.getValue(), out);
        }
      });
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collectRefs(v, out));
    }
  }
}
