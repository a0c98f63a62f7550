package io.gridline.api.http;

import static io.gridline.api.ApiFixture.invalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Text PostgreSQL cannot store (U+0000, which it refuses in text and jsonb, and unpaired surrogates, which UTF-8 cannot
 * carry) is a 400 naming the field on every route that stores or compares text, never a 500, and nothing is stored.
 */
@ExtendWith(VertxExtension.class)
class UnstorableTextTest {
  private static final String NUL = "bad\u0000name";
  private static ApiFixture api;
  private static String writeKey;
  private static long deviceId;
  /** The same api with webhooks.allow-private-targets, so a webhook URL is refused for its text, not its target. */
  private static int webhookPort;

  @BeforeAll
  static void start(Vertx vertx) {
    api = ApiFixture.start(vertx);
    writeKey = api.tenantWithKeys("text").writeKey();
    deviceId = api.createDevice(writeKey, "mqtt", "aa:bb:cc:00:09:01", "clean").getLong("id");
    webhookPort = api.deploy(api.config().put("webhooks.allow-http", true).put("webhooks.allow-private-targets", true))
        .actualPort();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static JsonObject device(String externalId) {
    return new JsonObject().put("kind", "mqtt").put("externalId", externalId).put("name", "ok");
  }

  @Test
  void aNulInADeviceNameOrMetadataIsA400NamingTheFieldAndNothingIsStored() {
    long before = api.count("SELECT count(*) FROM devices");
    String devices = "/api/v1/devices";
    invalid(api.post(devices, writeKey, device("aa:bb:cc:00:09:02").put("name", NUL)), "name");
    invalid(api.post(devices, writeKey, device("aa:bb:cc:00:09:02")
        .put("metadata", new JsonObject().put("room", NUL))), "metadata.room");
    invalid(api.post(devices, writeKey, device("aa:bb:cc:00:09:02")
        .put("metadata", new JsonObject().put("a\u0000key", "v"))), "metadata");
    invalid(api.post(devices, writeKey, device("aa:bb:cc:00:09:02").put("metadata", new JsonObject()
        .put("site", new JsonObject().put("tags", new JsonArray().add("fine").add(NUL))))), "metadata.site.tags[1]");
    // an unpaired surrogate, written as a JSON escape (a Java encoder would have replaced it already)
    invalid(api.post(devices, writeKey, "{\"kind\":\"mqtt\",\"externalId\":\"aa:bb:cc:00:09:02\",\"name\":\"x\\ud800\","
        + "\"metadata\":{\"ok\":\"\\ud83d\\ude00\",\"low\":\"\\udc00\"}}"), "name", "metadata.low");
    // every bad field at once, and one that is unknown anyway
    invalid(api.post(devices, writeKey, device("aa:bb:cc:00:09:02").put("name", NUL).put("metadata",
        new JsonObject().put("x", NUL))), "name", "metadata.x");
    assertEquals(before, api.count("SELECT count(*) FROM devices"));

    String one = devices + "/" + deviceId;
    invalid(api.put(one, writeKey, new JsonObject().put("name", NUL)), "name");
    invalid(api.put(one, writeKey, new JsonObject().put("name", "n").put("metadata", new JsonObject().put("k", NUL))),
        "metadata.k");
    invalid(api.put(one, writeKey, new JsonObject().put("name", "n").put("metadata", new JsonObject().put("\u0000", 1))),
        "metadata");
    assertEquals("clean", api.row("SELECT name FROM devices WHERE id = $1", (int) deviceId).getString(0));
    assertEquals("{}", api.row("SELECT metadata::text FROM devices WHERE id = $1", (int) deviceId).getString(0));

    // an emoji is a surrogate pair, which is fine
    assertEquals(201, api.post(devices, writeKey, device("aa:bb:cc:00:09:03").put("name", "\uD83D\uDE00")
        .put("metadata", new JsonObject().put("\uD83D\uDE00", "\uD83D\uDE00"))).statusCode());
  }

  @Test
  void aNulInATenantOrKeyNameIsA400() {
    long tenants = api.count("SELECT count(*) FROM tenants");
    invalid(api.post("/api/v1/tenants", api.adminKey, new JsonObject().put("name", NUL).put("maxDevices", 1)), "name");
    String tenant = api.createTenant("named", 1).getString("id");
    invalid(api.put("/api/v1/tenants/" + tenant, api.adminKey, new JsonObject().put("name", NUL).put("maxDevices", 1)),
        "name");
    invalid(api.post("/api/v1/tenants/" + tenant + "/api-keys", api.adminKey,
        new JsonObject().put("role", "read").put("name", NUL)), "name");
    assertEquals(tenants + 1, api.count("SELECT count(*) FROM tenants"));
    assertEquals("named", api.row("SELECT name FROM tenants WHERE id = $1", java.util.UUID.fromString(tenant)).getString(0));
  }

  @Test
  void aNulInASensorModelFieldIsA400NamingItsPath() {
    JsonObject field = new JsonObject().put("field", "energy").put("byteOffset", 0).put("type", "uint32")
        .put("unit", "k\u0000Wh");
    JsonObject model = new JsonObject().put("model", "nul-meter").put("modes", new JsonArray()
        .add(new JsonObject().put("mode", 1).put("fields", new JsonArray().add(field))));
    invalid(api.post("/api/v1/sensor-models", api.adminKey, model), "modes[0].fields[0].unit");
    invalid(api.put("/api/v1/sensor-models/faces2/modes/7", api.adminKey,
        new JsonObject().put("fields", new JsonArray().add(field))), "fields[0].unit");
    invalid(api.put("/api/v1/sensor-models/nul%00meter/modes/7", api.adminKey,
        new JsonObject().put("fields", new JsonArray().add(field.copy().put("unit", "kWh")))), "model");
    assertEquals(0, api.count("SELECT count(*) FROM sensor_fields WHERE model LIKE 'nul%' OR mode = 7"));
  }

  @Test
  void aNulInAWebhookUrlOrHeaderIsA400() {
    String hooks = "/api/v1/webhooks";
    JsonObject hook = new JsonObject().put("url", "http://127.0.0.1:9/hook").put("eventTypes", new JsonArray()
        .add("device.online"));
    invalid(api.call(webhookPort, io.vertx.core.http.HttpMethod.POST, hooks, writeKey,
        hook.copy().put("url", "http://127.0.0.1:9/ho\u0000ok")), "url");
    invalid(api.call(webhookPort, io.vertx.core.http.HttpMethod.POST, hooks, writeKey,
        hook.copy().put("headers", new JsonObject().put("X-Token", NUL))), "headers.X-Token");
    invalid(api.call(webhookPort, io.vertx.core.http.HttpMethod.POST, hooks, writeKey,
        hook.copy().put("headers", new JsonObject().put("X-\u0000", "v"))), "headers");
    invalid(api.call(webhookPort, io.vertx.core.http.HttpMethod.POST, hooks, writeKey,
        hook.copy().put("eventTypes", new JsonArray().add("device.\u0000"))), "eventTypes[0]");
    assertEquals(0, api.count("SELECT count(*) FROM webhook_subscriptions"));
  }

  @Test
  void aNulInAQueryOrPathParameterIsA400NamingIt() {
    String series = "/api/v1/devices/" + deviceId + "/telemetry?label=sensor-1%00.temperature";
    invalid(api.get(series, writeKey), "label");
    invalid(api.get("/api/v1/devices?kind=mqtt%00", writeKey), "kind");
    JsonObject both = invalid(api.get("/api/v1/devices?kind=%00&page=%00", writeKey), "kind", "page");
    assertTrue(both.getString("detail").contains("U+0000"), both.encode());
    // a parameter nobody reads is left alone; a query string that does not decode is a 400, not a 500
    assertEquals(200, api.get("/api/v1/devices?unused%00=1", writeKey).statusCode());
    ApiFixture.problem(api.get("/api/v1/devices?kind=%zz", writeKey), 400);
    invalid(api.get("/api/v1/devices/1%00", writeKey), "id");
  }
}
