package io.gridline.api.devices;

import static io.gridline.api.ApiFixture.await;
import static io.gridline.api.ApiFixture.invalid;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.DeviceChanged.Change;
import io.gridline.contracts.registry.RegistryAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DeviceRoutesTest {
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
  private static ApiFixture api;
  private static Vertx vertx;
  private static String tenant;
  private static String key;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    api = ApiFixture.start(v);
    tenant = api.createTenant("devices", 1000).getString("id");
    key = api.createKey(tenant, "write");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static JsonObject device(String kind, String externalId, String name) {
    return new JsonObject().put("kind", kind).put("externalId", externalId).put("name", name);
  }

  @Test
  void createReturnsTheWholeDevice() {
    HttpResponse<Buffer> r = api.post("/api/v1/devices", key,
        device("mqtt", "AA-BB-CC-00-00-01", "boiler room").put("metadata", new JsonObject().put("floor", 2)));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject d = r.bodyAsJsonObject();
    assertTrue(d.getValue("id") instanceof Number, d.encode());
    assertEquals(tenant, d.getString("tenantId"));
    assertEquals("mqtt", d.getString("kind"));
    assertEquals("aa:bb:cc:00:00:01", d.getString("externalId"));
    assertEquals("boiler room", d.getString("name"));
    assertEquals(new JsonObject().put("floor", 2), d.getJsonObject("metadata"));
    assertEquals("unknown", d.getString("status"));
    assertTrue(d.containsKey("lastSeenAt"));
    assertNull(d.getValue("lastSeenAt"));
    assertTrue(d.getString("createdAt").matches(TIME), d.encode());
    assertTrue(d.getString("updatedAt").matches(TIME), d.encode());

    assertEquals(d, api.get("/api/v1/devices/" + d.getLong("id"), key).bodyAsJsonObject());
    assertEquals("aa:bb:cc:00:00:01",
        api.row("SELECT external_id FROM devices WHERE id = $1", d.getInteger("id")).getString(0));
    // Without metadata the device gets an empty object.
    assertEquals(new JsonObject(),
        api.createDevice(key, "instrument", "NO-META", "bare").getJsonObject("metadata"));
  }

  @Test
  void externalIdSpellingsAreStoredCanonical() {
    Map<List<String>, String> spellings = Map.ofEntries(
        Map.entry(List.of("mqtt", "AA:BB:CC:00:01:01"), "aa:bb:cc:00:01:01"),
        Map.entry(List.of("mqtt", "aa-bb-cc-00-01-02"), "aa:bb:cc:00:01:02"),
        Map.entry(List.of("mqtt", "AABBCC000103"), "aa:bb:cc:00:01:03"),
        Map.entry(List.of("mqtt", "aabb.cc00.0104"), "aa:bb:cc:00:01:04"),
        Map.entry(List.of("mqtt", " aa:bb:cc:00:01:05 "), "aa:bb:cc:00:01:05"),
        Map.entry(List.of("lorawan", "01020304050607AA"), "01020304050607aa"),
        Map.entry(List.of("lorawan", "01-02-03-04-05-06-07-AB"), "01020304050607ab"),
        Map.entry(List.of("lorawan", "01:02:03:04:05:06:07:ac"), "01020304050607ac"),
        Map.entry(List.of("charger", "04ab373c"), "04AB373C"),
        Map.entry(List.of("charger", "0x04ab373d"), "04AB373D"),
        Map.entry(List.of("charger", "0102030405060708090a0b0c0d"), "0102030405060708090A0B0C0D"),
        Map.entry(List.of("instrument", "Lab-7.x_Y"), "Lab-7.x_Y"));
    spellings.forEach((in, canonical) -> assertEquals(canonical,
        api.createDevice(key, in.get(0), in.get(1), "spelling").getString("externalId"), in.toString()));

    // The same device in another spelling is the same device.
    problem(api.post("/api/v1/devices", key, device("mqtt", "aabbcc000101", "again")), 409);
    problem(api.post("/api/v1/devices", key, device("lorawan", "01-02-03-04-05-06-07-aa", "again")), 409);

    List<List<String>> bad = List.of(
        List.of("mqtt", "aa:bb:cc:00:01"), List.of("mqtt", "aa:bb-cc:00:01:06"), List.of("mqtt", "gg:bb:cc:00:01:07"),
        List.of("mqtt", "aabbcc00010"), List.of("lorawan", "010203040506070"), List.of("lorawan", "01-02:03-04-05-06-07-08"),
        List.of("charger", "4AB373B"), List.of("charger", ""), List.of("charger", "zz"),
        List.of("instrument", "has space"), List.of("instrument", "x".repeat(65)), List.of("instrument", "lab/1"));
    for (List<String> b : bad) {
      invalid(api.post("/api/v1/devices", key, device(b.get(0), b.get(1), "bad")), "externalId");
    }
  }

  @Test
  void externalIdsAreUniquePerKindAcrossTenants() {
    String other = api.createTenant("other", 10).getString("id");
    String otherKey = api.createKey(other, "write");
    api.createDevice(key, "mqtt", "aa:bb:cc:00:02:01", "mine");

    JsonObject conflict = problem(api.post("/api/v1/devices", otherKey, device("mqtt", "AA-BB-CC-00-02-01", "theirs")), 409);
    assertTrue(conflict.getString("detail").contains("aa:bb:cc:00:02:01"), conflict.encode());
    assertTrue(!conflict.encode().contains(tenant), "the conflict must not reveal the owner");
    assertEquals(0, api.count("SELECT count(*) FROM devices WHERE tenant_id = $1", UUID.fromString(other)));

    // Uniqueness is per kind: the same text as a charger id and a DevEUI are two devices.
    api.createDevice(key, "lorawan", "0A0B0C0D0E0F0102", "eui");
    assertEquals("0A0B0C0D0E0F0102", api.createDevice(otherKey, "charger", "0a0b0c0d0e0f0102", "pile")
        .getString("externalId"));
  }

  @Test
  void invalidBodiesNameTheirFields() {
    String path = "/api/v1/devices";
    invalid(api.post(path, key, new JsonObject()), "kind", "externalId", "name");
    invalid(api.post(path, key, device("toaster", "x", "n")), "kind");
    invalid(api.post(path, key, device("mqtt", "aa:bb:cc:00:03:01", "n").put("kind", 3)), "kind");
    invalid(api.post(path, key, new JsonObject().put("kind", "mqtt").put("externalId", "aa:bb:cc:00:03:02")), "name");
    invalid(api.post(path, key, device("mqtt", "aa:bb:cc:00:03:03", "")), "name");
    invalid(api.post(path, key, device("mqtt", "aa:bb:cc:00:03:04", "n").put("name", 12)), "name");
    invalid(api.post(path, key, device("mqtt", "aa:bb:cc:00:03:05", "n").put("metadata", new JsonArray())), "metadata");
    invalid(api.post(path, key, device("mqtt", "aa:bb:cc:00:03:06", "n").put("metadata", "{}")), "metadata");
    invalid(api.post(path, key, device("mqtt", "aa:bb:cc:00:03:07", "n").put("externalId", 42)), "externalId");
    invalid(api.post(path, key, device("mqtt", "aa:bb:cc:00:03:08", "n").put("owner", "me")), "owner");
    invalid(api.post(path, key, new JsonObject().put("kind", 1).put("name", false).put("metadata", 3)),
        "kind", "externalId", "name", "metadata");
    invalid(api.post(path, key, "{\"kind\": \"mqtt\""), "body");
    invalid(api.post(path, key, "\"a string\""), "body");
    invalid(api.get("/api/v1/devices/abc", key), "id");
    invalid(api.get("/api/v1/devices/0", key), "id");
    invalid(api.get("/api/v1/devices/99999999999", key), "id");
    problem(api.get("/api/v1/devices/2147483647", key), 404);
    problem(api.post(path, key, device("instrument", "BIG", "x".repeat(200)).put("metadata",
        new JsonObject().put("blob", "y".repeat(17_000)))), 413);
    assertEquals(0, api.count("SELECT count(*) FROM devices WHERE external_id LIKE 'aa:bb:cc:00:03:%'"));
  }

  @Test
  void listIsOrderedByIdFilteredByKindAndPaged() {
    String t = api.createTenant("listing", 100).getString("id");
    String k = api.createKey(t, "read");
    String w = api.createKey(t, "write");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(api.createDevice(w, "instrument", "LIST-" + i, "i" + i).getLong("id"));
      ids.add(api.createDevice(w, "charger", String.format("AB%02d", i), "c" + i).getLong("id"));
    }
    JsonObject all = api.get("/api/v1/devices", k).bodyAsJsonObject();
    assertEquals(10, all.getInteger("total"));
    assertEquals(ids, all.getJsonArray("items").stream().map(d -> ((JsonObject) d).getLong("id")).toList());

    JsonObject chargers = api.get("/api/v1/devices?kind=charger&page=2&size=2", k).bodyAsJsonObject();
    assertEquals(5, chargers.getInteger("total"));
    assertEquals(2, chargers.getInteger("page"));
    assertEquals(2, chargers.getInteger("size"));
    assertEquals(List.of("AB02", "AB03"),
        chargers.getJsonArray("items").stream().map(d -> ((JsonObject) d).getString("externalId")).toList());

    JsonObject none = api.get("/api/v1/devices?kind=lorawan", k).bodyAsJsonObject();
    assertEquals(0, none.getInteger("total"));
    assertEquals(new JsonArray(), none.getJsonArray("items"));

    invalid(api.get("/api/v1/devices?kind=toaster", k), "kind");
    invalid(api.get("/api/v1/devices?kind=toaster&page=0&size=1000", k), "kind", "page", "size");
  }

  @Test
  void putReplacesNameAndMetadataOnly() {
    JsonObject created = api.createDevice(key, "lorawan", "1111111111111111", "before");
    String path = "/api/v1/devices/" + created.getLong("id");

    HttpResponse<Buffer> r = api.put(path, key, new JsonObject().put("name", "after")
        .put("metadata", new JsonObject().put("room", "lab")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject updated = r.bodyAsJsonObject();
    assertEquals("after", updated.getString("name"));
    assertEquals(new JsonObject().put("room", "lab"), updated.getJsonObject("metadata"));
    assertEquals(created.getString("externalId"), updated.getString("externalId"));
    assertEquals(created.getString("createdAt"), updated.getString("createdAt"));

    // Sending back what was read (another spelling of the same externalId included) is fine.
    JsonObject roundTrip = updated.copy().put("name", "again").put("externalId", "11-11-11-11-11-11-11-11");
    assertEquals(200, api.put(path, key, roundTrip).statusCode());
    // Metadata left out is replaced by an empty object.
    assertEquals(new JsonObject(), api.put(path, key, new JsonObject().put("name", "bare")).bodyAsJsonObject()
        .getJsonObject("metadata"));

    invalid(api.put(path, key, new JsonObject().put("name", "n").put("kind", "mqtt")), "kind");
    invalid(api.put(path, key, new JsonObject().put("name", "n").put("externalId", "2222222222222222")), "externalId");
    invalid(api.put(path, key, new JsonObject().put("name", "n").put("externalId", "nonsense")), "externalId");
    invalid(api.put(path, key, new JsonObject().put("metadata", new JsonObject())), "name");
    invalid(api.put(path, key, new JsonObject().put("name", "n").put("metadata", List.of(1))), "metadata");
    invalid(api.put(path, key, "]"), "body");
    problem(api.put("/api/v1/devices/2147483647", key, new JsonObject().put("name", "n")), 404);
    assertEquals("bare", api.row("SELECT name FROM devices WHERE id = $1", created.getInteger("id")).getString(0));
  }

  @Test
  void deleteRemovesTheDevice() {
    long id = api.createDevice(key, "instrument", "DELETE-ME", "bye").getLong("id");
    assertEquals(204, api.delete("/api/v1/devices/" + id, key).statusCode());
    problem(api.get("/api/v1/devices/" + id, key), 404);
    problem(api.delete("/api/v1/devices/" + id, key), 404);
    assertEquals(0, api.count("SELECT count(*) FROM devices WHERE id = $1", (int) id));
    // Its externalId is free again.
    api.createDevice(key, "instrument", "DELETE-ME", "back");
  }

  @Test
  void changesArePublishedOnTheEventBus() throws Exception {
    BlockingQueue<DeviceChanged> changes = new LinkedBlockingQueue<>();
    MessageConsumer<DeviceChanged> consumer =
        vertx.eventBus().consumer(RegistryAddresses.DEVICE_CHANGED, m -> changes.add(m.body()));
    await(consumer.completion());
    try {
      long id = api.createDevice(key, "mqtt", "AA:BB:CC:00:04:01", "evented").getLong("id");
      assertEquals(new DeviceChanged(id, tenant, "mqtt", "aa:bb:cc:00:04:01", Change.CREATED),
          changes.poll(5, TimeUnit.SECONDS));
      assertEquals(200, api.put("/api/v1/devices/" + id, key, new JsonObject().put("name", "renamed")).statusCode());
      assertEquals(new DeviceChanged(id, tenant, "mqtt", "aa:bb:cc:00:04:01", Change.UPDATED),
          changes.poll(5, TimeUnit.SECONDS));
      assertEquals(204, api.delete("/api/v1/devices/" + id, key).statusCode());
      assertEquals(new DeviceChanged(id, tenant, "mqtt", "aa:bb:cc:00:04:01", Change.DELETED),
          changes.poll(5, TimeUnit.SECONDS));

      // Refused changes announce nothing.
      problem(api.post("/api/v1/devices", key, device("mqtt", "nonsense", "x")), 400);
      problem(api.delete("/api/v1/devices/" + id, key), 404);
      assertNull(changes.poll(300, TimeUnit.MILLISECONDS));
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void concurrentCreatesNeverExceedMaxDevices() {
    String t = api.createTenant("limited", 5).getString("id");
    String k = api.createKey(t, "write");
    List<Future<HttpResponse<Buffer>>> creates = IntStream.range(0, 20)
        .mapToObj(i -> api.send(HttpMethod.POST, "/api/v1/devices", k,
            device("instrument", "RACE-" + i, "racer " + i)))
        .toList();
    await(Future.join(creates));
    Map<Integer, Long> byStatus = creates.stream()
        .collect(Collectors.groupingBy(f -> f.result().statusCode(), Collectors.counting()));
    assertEquals(Map.of(201, 5L, 422, 15L), byStatus);
    creates.stream().filter(f -> f.result().statusCode() == 422).forEach(f -> problem(f.result(), 422));
    assertEquals(5, api.count("SELECT count(*) FROM devices WHERE tenant_id = $1", UUID.fromString(t)));
    assertEquals(5, api.get("/api/v1/devices", k).bodyAsJsonObject().getInteger("total"));
  }
}
