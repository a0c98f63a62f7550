package io.gridline.api.telemetry;

import static io.gridline.api.ApiFixture.await;
import static io.gridline.api.ApiFixture.invalid;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridline.api.ApiFixture;
import io.gridline.contracts.registry.RegistryCacheKeys;
import io.gridline.contracts.telemetry.TelemetryAddresses;
import io.gridline.testkit.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /sensor-models} (admin), {@code /telemetry/dlq} (tenant) and the api's eviction of cached devices. */
@ExtendWith(VertxExtension.class)
class TelemetryMetadataRoutesTest {
  private static ApiFixture api;
  private static Vertx vertx;
  private static String tenant;
  private static String readKey;
  private static String writeKey;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    api = ApiFixture.start(v);
    tenant = api.createTenant("telemetry", 100).getString("id");
    readKey = api.createKey(tenant, "read");
    writeKey = api.createKey(tenant, "write");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static JsonObject field(String name, int offset, String type) {
    return new JsonObject().put("field", name).put("byteOffset", offset).put("type", type);
  }

  @Test
  void sensorModelsAreListedCreatedAndReplacedByTheAdmin() throws Exception {
    HttpResponse<Buffer> list = api.get("/api/v1/sensor-models", api.adminKey);
    assertEquals(200, list.statusCode(), list.bodyAsString());
    JsonObject faces2 = list.bodyAsJsonObject().getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(m -> m.getString("model").equals("faces2")).findFirst().orElseThrow();
    assertEquals(2, faces2.getJsonArray("modes").size());
    JsonObject temperature = faces2.getJsonArray("modes").getJsonObject(0).getJsonArray("fields").getJsonObject(0);
    assertEquals(new JsonObject().put("field", "temperature").put("byteOffset", 0).put("type", "int16")
        .put("endian", "big").put("scale", 0.1).put("unit", "°C"), temperature);
    problem(api.get("/api/v1/sensor-models", writeKey), 403);

    BlockingQueue<String> announced = new LinkedBlockingQueue<>();
    MessageConsumer<String> consumer = vertx.eventBus().consumer(TelemetryAddresses.SENSOR_MODEL_CHANGED,
        m -> announced.add(m.body()));
    await(consumer.completion());
    try {
      JsonObject model = new JsonObject().put("model", "meter-x").put("modes", new JsonArray().add(new JsonObject()
          .put("mode", 3).put("fields", new JsonArray().add(field("energy", 0, "uint32").put("scale", 0.01).put("unit", "kWh"))
              .add(field("flow", 4, "float32").put("endian", "little")))));
      HttpResponse<Buffer> created = api.post("/api/v1/sensor-models", api.adminKey, model);
      assertEquals(201, created.statusCode(), created.bodyAsString());
      assertEquals("meter-x", announced.poll(5, TimeUnit.SECONDS));
      assertEquals(2, api.count("SELECT count(*) FROM sensor_fields WHERE model = 'meter-x' AND mode = 3"));
      problem(api.post("/api/v1/sensor-models", api.adminKey, model), 409);
      problem(api.post("/api/v1/sensor-models", writeKey, model), 403);

      HttpResponse<Buffer> replaced = api.put("/api/v1/sensor-models/meter-x/modes/3", api.adminKey,
          new JsonObject().put("fields", new JsonArray().add(field("energy", 2, "int32"))));
      assertEquals(200, replaced.statusCode(), replaced.bodyAsString());
      assertEquals("meter-x", announced.poll(5, TimeUnit.SECONDS));
      assertEquals(2, api.row("SELECT byte_offset FROM sensor_fields WHERE model = 'meter-x' AND mode = 3 AND field = 'energy'")
          .getInteger(0));
      assertEquals(1, api.count("SELECT count(*) FROM sensor_fields WHERE model = 'meter-x'"));
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void badSensorModelsAreRefusedNamingEveryField() {
    JsonObject bad = new JsonObject().put("model", "Bad Name").put("modes", new JsonArray().add(new JsonObject()
        .put("mode", 300).put("fields", new JsonArray()
            .add(field("ok", 0, "int8"))
            .add(field("ok", -1, "uint16").put("endian", "middle").put("scale", 0)))));
    invalid(api.post("/api/v1/sensor-models", api.adminKey, bad), "model", "modes[0].mode", "modes[0].fields[0].type",
        "modes[0].fields[1].field", "modes[0].fields[1].byteOffset", "modes[0].fields[1].endian",
        "modes[0].fields[1].scale");
    invalid(api.put("/api/v1/sensor-models/faces2/modes/x", api.adminKey, new JsonObject().put("fields", new JsonArray())),
        "mode", "fields");
    assertEquals(0, api.count("SELECT count(*) FROM sensor_fields WHERE model NOT IN ('faces2', 'meter-x')"));
  }

  @Test
  void theDlqListsTheCallersTenantNewestFirst() {
    UUID mine = UUID.fromString(tenant);
    UUID other = UUID.fromString(api.createTenant("other", 10).getString("id"));
    for (int i = 0; i < 3; i++) {
      dlqRow(mine, "bad-hex-" + i);
    }
    dlqRow(other, "theirs");
    dlqRow(null, "unknown");
    HttpResponse<Buffer> r = api.get("/api/v1/telemetry/dlq?page=1&size=2", readKey);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject page = r.bodyAsJsonObject();
    assertEquals(3, page.getLong("total"));
    JsonArray items = page.getJsonArray("items");
    assertEquals(List.of("bad-hex-2", "bad-hex-1"), items.stream().map(o -> ((JsonObject) o).getString("detail")).toList());
    JsonObject first = items.getJsonObject(0);
    assertEquals("bad-hex", first.getString("reason"));
    assertEquals("aa:bb:cc:dd:ee:01", first.getString("mac"));
    assertEquals("AAE=", first.getString("payload"));
    assertEquals(1, api.get("/api/v1/telemetry/dlq?page=2&size=2", readKey).bodyAsJsonObject().getJsonArray("items").size());
    invalid(api.get("/api/v1/telemetry/dlq?size=0", readKey), "size");
    problem(api.get("/api/v1/telemetry/dlq", null), 401);
  }

  private static void dlqRow(UUID tenantId, String detail) {
    await(api.db.preparedQuery("INSERT INTO telemetry_dlq (tenant_id, mac, reason, detail, topic, payload, received_at) "
        + "VALUES ($1, 'aa:bb:cc:dd:ee:01', 'bad-hex', $2, 'stat/f2-aabbccddee01/sensor-mode/1/sensor-1', $3, $4)")
        .execute(io.vertx.sqlclient.Tuple.of(tenantId, detail, Buffer.buffer(new byte[] {0, 1}), OffsetDateTime.now())));
  }

  @Test
  void updatingOrDeletingADeviceEvictsItsCachedEntry() throws Exception {
    byte[] b = new byte[6];
    new SecureRandom().nextBytes(b);
    String mac = HexFormat.ofDelimiter(":").formatHex(b);
    String key = RegistryCacheKeys.device("mqtt", mac);
    RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, TestStores.redisUrl()));
    long id = api.createDevice(writeKey, "mqtt", mac, "cached").getLong("id");

    await(redis.set(List.of(key, "{\"deviceId\":" + id + "}", "EX", "60")));
    assertEquals(200, api.put("/api/v1/devices/" + id, writeKey,
        new JsonObject().put("name", "cached").put("metadata", new JsonObject().put("model", "meter-x"))).statusCode());
    awaitGone(redis, key);

    await(redis.set(List.of(key, "{\"deviceId\":" + id + "}", "EX", "60")));
    assertEquals(204, api.delete("/api/v1/devices/" + id, writeKey).statusCode());
    awaitGone(redis, key);
  }

  @Test
  void everyKindsCachedEntryIsEvictedNotOnlyMqtts() throws Exception {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    String devEui = HexFormat.of().formatHex(b);
    String key = RegistryCacheKeys.device("lorawan", devEui);
    assertEquals("gridline:registry:device:lorawan:" + devEui, key);
    RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, TestStores.redisUrl()));
    long id = api.createDevice(writeKey, "lorawan", devEui, "cached").getLong("id");

    await(redis.set(List.of(key, "{\"deviceId\":" + id + "}", "EX", "60")));
    assertEquals(200, api.put("/api/v1/devices/" + id, writeKey, new JsonObject().put("name", "renamed")).statusCode());
    awaitGone(redis, key);

    await(redis.set(List.of(key, "{\"deviceId\":" + id + "}", "EX", "60")));
    assertEquals(204, api.delete("/api/v1/devices/" + id, writeKey).statusCode());
    awaitGone(redis, key);
  }

  private static void awaitGone(RedisAPI redis, String key) throws InterruptedException {
    // the eviction runs right after the answer: give it a moment
    for (int i = 0; i < 50 && await(redis.get(key)) != null; i++) {
      Thread.sleep(20);
    }
    assertNull(await(redis.get(key)));
  }
}
