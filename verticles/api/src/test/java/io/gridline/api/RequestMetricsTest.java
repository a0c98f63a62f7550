package io.gridline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Requests, auth failures and validation failures are counted under the route pattern, not the raw path. */
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
