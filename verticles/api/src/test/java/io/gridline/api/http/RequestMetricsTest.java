package io.gridline.api.http;

import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.api.ApiFixture;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests, auth failures and validation failures are counted under the route pattern, not the raw path, and nothing a
 * client sends can add series.
 */
@ExtendWith(VertxExtension.class)
class RequestMetricsTest {
  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private static ApiFixture api;

  @BeforeAll
  static void start(Vertx vertx) {
    // Without the node's Prometheus backend, Meters.registry() is Micrometer's global registry.
    Metrics.addRegistry(registry);
    api = ApiFixture.start(vertx);
  }

  @AfterAll
  static void stop() {
    api.close();
    Metrics.removeRegistry(registry);
  }

  private static double count(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void requestsAreCountedAndTimedByRoutePattern() throws Exception {
    String tenant = api.createTenant("metered", 5).getString("id");
    String key = api.createKey(tenant, "read");
    double before = count("gridline.api.requests", "method", "GET", "route", "/api/v1/devices/:id", "status", "404");
    api.get("/api/v1/devices/1000001", key);
    api.get("/api/v1/devices/1000002", key);
    Thread.sleep(100);
    assertEquals(before + 2,
        count("gridline.api.requests", "method", "GET", "route", "/api/v1/devices/:id", "status", "404"));
    var timer = registry.find("gridline.api.request").tags("method", "GET", "route", "/api/v1/devices/:id").timer();
    assertEquals(true, timer != null && timer.count() >= 2);
  }

  private static int series(String name) {
    return registry.find(name).meters().size();
  }

  @Test
  void madeUpMethodsAndPathsAddNoSeries() throws Exception {
    String key = api.createKey(api.createTenant("prober", 5).getString("id"), "read");
    // the first of each kind starts its series: other/unmatched for 404 and 405
    api.call(HttpMethod.valueOf("PROBE"), "/api/v1/devices", key, null);
    api.call(HttpMethod.valueOf("PROBE"), "/nowhere", key, null);
    api.get("/nowhere", key);
    Thread.sleep(100);
    int requests = series("gridline.api.requests");
    int timers = series("gridline.api.request");

    for (int i = 0; i < 40; i++) {
      String junk = "X" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
      problem(api.call(HttpMethod.valueOf(junk), "/api/v1/devices", key, null), 405);
      problem(api.call(HttpMethod.valueOf(junk), "/" + UUID.randomUUID(), key, null), 404);
      problem(api.get("/api/v1/" + UUID.randomUUID() + "/x", key), 404);
    }
    Thread.sleep(100);
    assertEquals(requests, series("gridline.api.requests"), registry.find("gridline.api.requests").meters().toString());
    assertEquals(timers, series("gridline.api.request"));
    assertEquals(true, count("gridline.api.requests", "method", "other", "route", "unmatched", "status", "405") >= 40);
  }

  @Test
  void aBodyOverTheLimitIsCountedUnderItsRoute() throws Exception {
    String key = api.createKey(api.createTenant("oversized", 5).getString("id"), "write");
    double before = count("gridline.api.requests", "method", "POST", "route", "/api/v1/devices", "status", "413");
    problem(api.post("/api/v1/devices", key, new JsonObject().put("kind", "mqtt").put("externalId", "aa:bb:cc:dd:ee:ff")
        .put("name", "n").put("metadata", new JsonObject().put("blob", "x".repeat(20_000)))), 413);
    Thread.sleep(100);
    assertEquals(before + 1, count("gridline.api.requests", "method", "POST", "route", "/api/v1/devices", "status", "413"));
  }

  @Test
  void authAndValidationFailuresAreCounted() throws Exception {
    double missing = count("gridline.api.auth.failures", "reason", "missing");
    double unknown = count("gridline.api.auth.failures", "reason", "unknown");
    double adminOnly = count("gridline.api.auth.failures", "reason", "admin-required");
    double invalid = count("gridline.api.validation.failures", "route", "/api/v1/tenants");

    api.get("/api/v1/tenants", null);
    api.get("/api/v1/tenants", "glk_nope");
    String tenant = api.createTenant("counted", 5).getString("id");
    api.get("/api/v1/tenants", api.createKey(tenant, "write"));
    api.post("/api/v1/tenants", api.adminKey, new JsonObject());
    Thread.sleep(100);

    assertEquals(missing + 1, count("gridline.api.auth.failures", "reason", "missing"));
    assertEquals(unknown + 1, count("gridline.api.auth.failures", "reason", "unknown"));
    assertEquals(adminOnly + 1, count("gridline.api.auth.failures", "reason", "admin-required"));
    assertEquals(invalid + 1, count("gridline.api.validation.failures", "route", "/api/v1/tenants"));
    assertEquals(1, count("gridline.api.requests", "method", "POST", "route", "/api/v1/tenants", "status", "400"));
  }
}
