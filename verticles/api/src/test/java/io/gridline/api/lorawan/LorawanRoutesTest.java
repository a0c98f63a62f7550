package io.gridline.api.lorawan;

import static io.gridline.api.ApiFixture.await;
import static io.gridline.api.ApiFixture.invalid;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.gridline.contracts.lorawan.LorawanAddresses;
import io.gridline.contracts.lorawan.LorawanKeys;
import io.gridline.runtime.SecretBox;
import io.gridline.testkit.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The LoRaWAN resources of the api against real PostgreSQL and Redis: gateways, device provisioning (keys sealed,
 * never shown), activation by personalisation (the network server's cached session dropped), the downlink queue in
 * the shared command lifecycle, frames; tenancy and validation on each.
 */
@ExtendWith(VertxExtension.class)
class LorawanRoutesTest {
  private static final String APP_KEY = "2b7e151628aed2a6abf7158809cf4f3c";
  private static final BlockingQueue<String> GATEWAYS_CHANGED = new LinkedBlockingQueue<>();
  private static ApiFixture api;
  private static RedisAPI redis;
  private static SecretBox box;
  private static String writeKey;
  private static String readKey;
  private static String otherKey;

  @BeforeAll
  static void start(Vertx vertx) {
    vertx.eventBus().<String>consumer(LorawanAddresses.GATEWAY_CHANGED, m -> GATEWAYS_CHANGED.add(m.body()));
    api = ApiFixture.start(vertx);
    redis = RedisAPI.api(Redis.createClient(vertx, TestStores.redisUrl()));
    box = SecretBox.fromBase64(api.encryptionKey);
    ApiFixture.TenantKeys keys = api.tenantWithKeys("lorawan");
    writeKey = keys.writeKey();
    readKey = keys.readKey();
    otherKey = keys.otherKey();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static String eui() {
    return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8)
        .putLong(ThreadLocalRandom.current().nextLong()).array());
  }

  private static JsonObject otaaDevice(String devEui) {
    return new JsonObject().put("devEui", devEui.toUpperCase(Locale.ROOT)).put("joinEui", "70b3d57ed0000000")
        .put("appKey", APP_KEY).put("class", "A").put("region", "EU868").put("name", "sensor " + devEui)
        .put("model", "lht65");
  }

  private static JsonObject created(String devEui) {
    HttpResponse<Buffer> r = api.post("/api/v1/lorawan/devices", writeKey, otaaDevice(devEui));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  void gatewaysAreRegisteredPerTenant() throws InterruptedException {
    String id = eui();
    GATEWAYS_CHANGED.clear();
    JsonObject body = new JsonObject().put("gatewayId", id.toUpperCase(Locale.ROOT)).put("name", "roof")
        .put("region", "EU868");
    HttpResponse<Buffer> r = api.post("/api/v1/lorawan/gateways", writeKey, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(id, r.bodyAsJsonObject().getString("gatewayId"));
    assertNull(r.bodyAsJsonObject().getString("lastSeenAt"));
    assertEquals(id, GATEWAYS_CHANGED.poll(5, TimeUnit.SECONDS), "network servers told to reload their gateways");
    problem(api.post("/api/v1/lorawan/gateways", writeKey, body), 409);
    problem(api.post("/api/v1/lorawan/gateways", readKey, body.put("gatewayId", eui())), 403);

    assertEquals("roof", api.get("/api/v1/lorawan/gateways/" + id, readKey).bodyAsJsonObject().getString("name"));
    JsonObject list = api.get("/api/v1/lorawan/gateways?size=10", readKey).bodyAsJsonObject();
    assertEquals(1, list.getLong("total"));
    assertEquals(id, list.getJsonArray("items").getJsonObject(0).getString("gatewayId"));
    assertEquals(0, api.get("/api/v1/lorawan/gateways", otherKey).bodyAsJsonObject().getLong("total"));
    problem(api.get("/api/v1/lorawan/gateways/" + id, otherKey), 404);
    problem(api.delete("/api/v1/lorawan/gateways/" + id, otherKey), 404);
    problem(api.get("/api/v1/lorawan/gateways/not-an-eui", readKey), 404);

    invalid(api.post("/api/v1/lorawan/gateways", writeKey, new JsonObject().put("gatewayId", "0102")
        .put("name", "x").put("region", "AS923")), "gatewayId", "region");

    assertEquals(204, api.delete("/api/v1/lorawan/gateways/" + id, writeKey).statusCode());
    assertEquals(id, GATEWAYS_CHANGED.poll(5, TimeUnit.SECONDS), "and told again when it is gone");
    problem(api.get("/api/v1/lorawan/gateways/" + id, readKey), 404);
  }

  @Test
  void provisioningCreatesTheRegistryDeviceAndNeverShowsKeys() {
    String devEui = eui();
    JsonObject device = created(devEui);
    assertEquals(devEui, device.getString("devEui"));
    assertTrue(device.getBoolean("otaa"));
    assertNull(device.getString("activation"));
    assertEquals("lht65", device.getJsonObject("metadata").getString("model"));
    assertFalse(device.encode().toLowerCase(Locale.ROOT).contains(APP_KEY), device.encode());
    assertFalse(device.containsKey("appKey"));

    JsonObject registry = api.get("/api/v1/devices/" + device.getLong("id"), readKey).bodyAsJsonObject();
    assertEquals("lorawan", registry.getString("kind"));
    assertEquals(devEui, registry.getString("externalId"));

    Row row = api.row("SELECT app_key FROM lorawan_devices WHERE dev_eui = $1", devEui);
    byte[] sealed = row.getBuffer("app_key").getBytes();
    assertFalse(HexFormat.of().formatHex(sealed).contains(APP_KEY));
    assertArrayEquals(HexFormat.of().parseHex(APP_KEY), box.open(sealed, devEui.getBytes(StandardCharsets.US_ASCII)));

    problem(api.post("/api/v1/lorawan/devices", writeKey, otaaDevice(devEui)), 409);
    problem(api.get("/api/v1/lorawan/devices/" + devEui, otherKey), 404);
    problem(api.post("/api/v1/lorawan/devices", readKey, otaaDevice(eui())), 403);
    JsonObject list = api.get("/api/v1/lorawan/devices?size=500", readKey).bodyAsJsonObject();
    assertTrue(list.getJsonArray("items").stream().anyMatch(o -> devEui.equals(((JsonObject) o).getString("devEui"))));
    assertFalse(list.encode().contains(APP_KEY));

    invalid(api.post("/api/v1/lorawan/devices", writeKey, new JsonObject().put("devEui", "xyz").put("appKey", APP_KEY)
        .put("region", "EU433").put("name", "n").put("class", "C")), "devEui", "region", "class", "joinEui");
  }

  @Test
  void activationWritesTheSessionAndDropsTheCachedOne() {
    String devEui = eui();
    created(devEui);
    String nwk = "000102030405060708090a0b0c0d0e0f";
    String app = "f0e0d0c0b0a090807060504030201000";
    await(redis.set(List.of(LorawanKeys.session(devEui), "{\"stale\":true}")));

    HttpResponse<Buffer> r = api.post("/api/v1/lorawan/devices/" + devEui + "/activate", writeKey,
        new JsonObject().put("devAddr", "26011BDA").put("nwkSKey", nwk).put("appSKey", app).put("fCntUp", 7));
    assertEquals(204, r.statusCode(), r.bodyAsString());
    assertNull(await(redis.get(LorawanKeys.session(devEui))));
    Response members = await(redis.smembers(LorawanKeys.devAddr("26011bda")));
    assertTrue(members.stream().anyMatch(m -> devEui.equals(m.toString())));

    JsonObject view = api.get("/api/v1/lorawan/devices/" + devEui, readKey).bodyAsJsonObject();
    assertEquals("abp", view.getString("activation"));
    assertEquals("26011bda", view.getString("devAddr"));
    assertEquals(7, view.getLong("fCntUp"));
    assertEquals(0, view.getLong("nFCntDown"));
    assertFalse(view.encode().contains(nwk) || view.encode().contains(app), view.encode());

    Row row = api.row("SELECT nwk_s_key, app_s_key, state FROM lorawan_sessions WHERE dev_eui = $1", devEui);
    byte[] ad = devEui.getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(HexFormat.of().parseHex(nwk), box.open(row.getBuffer("nwk_s_key").getBytes(), ad));
    assertArrayEquals(HexFormat.of().parseHex(app), box.open(row.getBuffer("app_s_key").getBytes(), ad));
    assertEquals(869_525_000L, ((JsonObject) row.getValue("state")).getLong("rx2Frequency"));

    invalid(api.post("/api/v1/lorawan/devices/" + devEui + "/activate", writeKey,
        new JsonObject().put("devAddr", "1").put("nwkSKey", nwk).put("fCntUp", -1)), "devAddr", "appSKey", "fCntUp");
    problem(api.post("/api/v1/lorawan/devices/" + devEui + "/activate", otherKey,
        new JsonObject().put("devAddr", "26011bda").put("nwkSKey", nwk).put("appSKey", app)), 404);
  }

  @Test
  void downlinkQueueItemsAreCommands() {
    String devEui = eui();
    created(devEui);
    String queue = "/api/v1/lorawan/devices/" + devEui + "/queue";
    HttpResponse<Buffer> r = api.post(queue, writeKey,
        new JsonObject().put("fPort", 10).put("data", "01:02:0A").put("confirmed", true));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    String id = r.bodyAsJsonObject().getString("id");
    assertEquals("/api/v1/commands/" + id, r.getHeader("Location"));

    JsonObject command = api.get("/api/v1/commands/" + id, readKey).bodyAsJsonObject();
    assertEquals("queued", command.getString("status"));
    assertEquals("lorawan.downlink", command.getString("type"));
    assertEquals("lorawan", command.getString("deviceKind"));
    assertEquals(new JsonObject().put("fPort", 10).put("data", "01020a").put("confirmed", true),
        command.getJsonObject("payload"));

    JsonArray items = api.get(queue, readKey).bodyAsJsonObject().getJsonArray("items");
    assertEquals(1, items.size());
    assertEquals(id, items.getJsonObject(0).getString("id"));
    problem(api.get(queue, otherKey), 404);

    // EU868, no uplink yet: the first downlink may go out in RX2 at DR0, 51 octets at most
    JsonObject big = problem(api.post(queue, writeKey,
        new JsonObject().put("fPort", 1).put("data", "00".repeat(52))), 400);
    assertTrue(big.encode().contains("at most 51"), big.encode());
    assertEquals(202, api.post(queue, writeKey, new JsonObject().put("fPort", 1).put("data", "00".repeat(51)))
        .statusCode());
    invalid(api.post(queue, writeKey, new JsonObject().put("fPort", 0).put("data", "0g").put("confirmed", "yes")),
        "fPort", "data", "confirmed");
    invalid(api.post(queue, writeKey, new JsonObject().put("fPort", 224).put("data", "00".repeat(243))),
        "fPort", "data");

    assertEquals(204, api.delete(queue, writeKey).statusCode());
    assertEquals(0, api.get(queue, readKey).bodyAsJsonObject().getJsonArray("items").size());
    problem(api.get("/api/v1/commands/" + id, readKey), 404);
  }

  @Test
  void framesNewestFirstWithinTheLimit() {
    String devEui = eui();
    long deviceId = created(devEui).getLong("id");
    for (int fCnt = 1; fCnt <= 3; fCnt++) {
      api.row("INSERT INTO lorawan_frames (frame_id, device_id, source, f_cnt, f_port, data, confirmed, rx_info, "
              + "received_at) VALUES (gen_random_uuid(), $1, 'network-server', $2, 2, $3, false, $4, now()) RETURNING id",
          deviceId, (long) fCnt, Buffer.buffer(new byte[] {(byte) fCnt, 0x7f}),
          new JsonArray().add(new JsonObject().put("gatewayId", "0102030405060708").put("rssi", -57).put("snr", 7.5)));
    }
    JsonObject page = api.get("/api/v1/lorawan/devices/" + devEui + "/frames?limit=2", readKey).bodyAsJsonObject();
    assertEquals(3, page.getLong("total"));
    JsonArray items = page.getJsonArray("items");
    assertEquals(2, items.size());
    JsonObject newest = items.getJsonObject(0);
    assertEquals(3, newest.getLong("fCnt"));
    assertEquals("037f", newest.getString("data"));
    assertEquals(-57, newest.getJsonArray("rxInfo").getJsonObject(0).getInteger("rssi"));
    assertEquals("network-server", newest.getString("source"));
    assertEquals(3, api.get("/api/v1/lorawan/devices/" + devEui + "/frames", readKey).bodyAsJsonObject()
        .getJsonArray("items").size());
    invalid(api.get("/api/v1/lorawan/devices/" + devEui + "/frames?limit=1001", readKey), "limit");
    invalid(api.get("/api/v1/lorawan/devices/" + devEui + "/frames?limit=x", readKey), "limit");
    problem(api.get("/api/v1/lorawan/devices/" + devEui + "/frames", otherKey), 404);
  }

  @Test
  void deletingTheDeviceDropsItsSessionEverywhere() {
    String devEui = eui();
    long deviceId = created(devEui).getLong("id");
    assertEquals(204, api.post("/api/v1/lorawan/devices/" + devEui + "/activate", writeKey,
        new JsonObject().put("devAddr", "26011bdb").put("nwkSKey", APP_KEY).put("appSKey", APP_KEY)).statusCode());
    await(redis.set(List.of(LorawanKeys.session(devEui), "{}")));

    problem(api.delete("/api/v1/lorawan/devices/" + devEui, otherKey), 404);
    assertEquals(204, api.delete("/api/v1/lorawan/devices/" + devEui, writeKey).statusCode());
    assertNull(await(redis.get(LorawanKeys.session(devEui))));
    problem(api.get("/api/v1/devices/" + deviceId, readKey), 404);
    problem(api.get("/api/v1/lorawan/devices/" + devEui, readKey), 404);
    assertNull(api.row("SELECT 1 FROM lorawan_sessions WHERE dev_eui = $1", devEui));
  }
}
