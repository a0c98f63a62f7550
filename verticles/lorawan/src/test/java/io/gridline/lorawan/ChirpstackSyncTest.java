package io.gridline.lorawan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 001's push of devices into an external ChirpStack, against a local HTTP server that plays ChirpStack's REST API
 * and records every call: a new device is created with its keys, a renamed one updated, a deleted one deleted — in
 * the background, through failures.
 */
class ChirpstackSyncTest {
  private static final String TOKEN = "cs-token-1";
  private static Vertx serverVertx;
  private static HttpServer server;
  private static LorawanFixture fx;
  private static UUID tenant;
  /** what the fake ChirpStack holds: device JSON and keys by DevEUI */
  private static final Map<String, JsonObject> devices = new ConcurrentHashMap<>();
  private static final Map<String, JsonObject> keys = new ConcurrentHashMap<>();
  private static final List<String> calls = new CopyOnWriteArrayList<>();
  private static final AtomicInteger failNext = new AtomicInteger();

  record Call(String line, String auth, String grpcAuth, JsonObject body) {}

  private static final List<Call> recorded = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    Metrics.addRegistry(new SimpleMeterRegistry());
    serverVertx = Vertx.vertx();
    server = Waits.await(serverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
      JsonObject body = buf.length() == 0 ? null : buf.toJsonObject();
      String line = req.method() + " " + req.path();
      recorded.add(new Call(line, req.getHeader("Authorization"), req.getHeader("Grpc-Metadata-Authorization"), body));
      calls.add(line);
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        req.response().setStatusCode(503).end("{\"error\":\"unavailable\"}");
        return;
      }
      String[] parts = req.path().split("/");
      int status;
      if (req.path().equals("/api/devices") && req.method() == HttpMethod.POST) {
        devices.put(body.getJsonObject("device").getString("devEui"), body.getJsonObject("device"));
        status = 200;
      } else if (parts.length == 4 && req.method() == HttpMethod.PUT) {
        status = devices.replace(parts[3], body.getJsonObject("device")) == null ? 404 : 200;
      } else if (parts.length == 4 && req.method() == HttpMethod.DELETE) {
        keys.remove(parts[3]);
        status = devices.remove(parts[3]) == null ? 404 : 200;
      } else if (parts.length == 5 && req.method() == HttpMethod.PUT) {
        status = keys.replace(parts[3], body.getJsonObject("deviceKeys")) == null ? 404 : 200;
      } else if (parts.length == 5 && req.method() == HttpMethod.POST) {
        keys.put(parts[3], body.getJsonObject("deviceKeys"));
        status = 200;
      } else {
        status = 400;
      }
      req.response().setStatusCode(status).end(status == 200 ? "{}" : "{\"error\":\"object does not exist\"}");
    })).listen(0, "127.0.0.1"));
    fx = new LorawanFixture();
    tenant = fx.tenant("chirpstack-sync");
    fx.deploy(fx.config().put("lorawan.chirpstack.api-url", "http://127.0.0.1:" + server.actualPort() + "/")
        .put("lorawan.chirpstack.api-token", TOKEN).put("lorawan.chirpstack.application-id", "app-1")
        .put("lorawan.chirpstack.device-profile-id", "dp-1").put("lorawan.chirpstack.sync-interval-ms", 200));
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
    if (serverVertx != null) {
      Waits.await(serverVertx.close());
    }
  }

  private static String eui() {
    return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(new Random().nextLong()).array());
  }

  private static boolean synced(long deviceId) {
    return "t".equals(fx.queryString("SELECT chirpstack_synced FROM lorawan_devices WHERE device_id = ?", deviceId));
  }

  @Test
  void aDeviceIsCreatedWithItsKeysRenamedAndDeletedThroughFailures() {
    String devEui = eui();
    AesKey appKey = AesKey.fromHex("2b7e151628aed2a6abf7158809cf4f3c");
    failNext.set(2);
    long id = fx.device(tenant, devEui, "70b3d57ed0000001", appKey, "none", new JsonObject().put("model", "lht65"));
    Waits.until("pushed to ChirpStack", 15_000, () -> synced(id));

    JsonObject pushed = devices.get(devEui);
    assertEquals("lora " + devEui, pushed.getString("name"));
    assertEquals("app-1", pushed.getString("applicationId"));
    assertEquals("dp-1", pushed.getString("deviceProfileId"));
    assertEquals("70b3d57ed0000001", pushed.getString("joinEui"));
    assertEquals(new JsonObject().put("nwkKey", appKey.hex()).put("appKey", appKey.hex()), keys.get(devEui));
    assertTrue(recorded.stream().filter(c -> c.line().contains(devEui))
        .allMatch(c -> ("Bearer " + TOKEN).equals(c.auth()) && ("Bearer " + TOKEN).equals(c.grpcAuth())));
    assertTrue(calls.contains("POST /api/devices"), calls.toString());

    fx.update("UPDATE devices SET name = 'renamed' WHERE id = ?", id);
    Waits.until("renamed in ChirpStack", 15_000, () -> "renamed".equals(devices.get(devEui).getString("name"))
        && synced(id));

    fx.update("DELETE FROM devices WHERE id = ?", id);
    Waits.until("deleted from ChirpStack", 15_000, () -> !devices.containsKey(devEui)
        && fx.queryLong("SELECT count(*) FROM lorawan_chirpstack_deletions WHERE dev_eui = ?", devEui) == 0);
    assertTrue(calls.contains("DELETE /api/devices/" + devEui), calls.toString());
  }

  @Test
  void aDeviceWithoutAnAppKeyIsPushedWithoutKeys() {
    String devEui = eui();
    long id = fx.device(tenant, devEui, null, null, "none", new JsonObject());
    Waits.until("pushed to ChirpStack", 15_000, () -> synced(id));
    assertTrue(devices.containsKey(devEui));
    assertTrue(calls.stream().noneMatch(c -> c.contains(devEui + "/keys")), calls.toString());
  }
}
