package io.gridline.api.integrations;

import static io.gridline.api.ApiFixture.invalid;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.Topics;
import io.gridline.contracts.lorawan.IntegrationEvent;
import io.gridline.proto.chirpstack.DeviceInfo;
import io.gridline.proto.chirpstack.StatusEvent;
import io.gridline.proto.chirpstack.UplinkEvent;
import io.gridline.proto.chirpstack.UplinkRxInfo;
import io.gridline.runtime.KafkaTopics;
import io.gridline.testkit.TestConfig;
import io.gridline.testkit.TestStores;
import io.gridline.testkit.TestTopics;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ChirpStack's HTTP integration in, against real PostgreSQL and Kafka: v4 JSON events and seed 001's v3 webhooks are
 * checked, matched to the tenant's device and handed on as {@link IntegrationEvent}s (read back from Kafka); unknown
 * devices are 202 and counted, malformed bodies 400 naming the field, other tenants' devices never matched.
 */
@ExtendWith(VertxExtension.class)
class ChirpstackRoutesTest {
  private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private static ApiFixture api;
  private static String tenantId;
  private static String writeKey;
  private static String readKey;
  private static String otherKey;

  @BeforeAll
  static void start(Vertx vertx) {
    Metrics.addRegistry(meters);
    String kafka = TestStores.kafkaBootstrap();
    KafkaTopics.ensure(TestConfig.of(new JsonObject().put("kafka.bootstrap-servers", kafka)));
    api = ApiFixture.start(vertx, new JsonObject().put("kafka.bootstrap-servers", kafka));
    ApiFixture.TenantKeys keys = api.tenantWithKeys("chirpstack");
    tenantId = keys.tenantId();
    writeKey = keys.writeKey();
    readKey = keys.readKey();
    otherKey = keys.otherKey();
  }

  @AfterAll
  static void stop() {
    api.close();
    Metrics.removeRegistry(meters);
  }

  private static String eui() {
    return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(ThreadLocalRandom.current().nextLong())
        .array());
  }

  private static long lorawanDevice(String devEui) {
    return api.createDevice(writeKey, "lorawan", devEui, "cs " + devEui).getLong("id");
  }

  /** A v4 up event as ChirpStack's JSON marshaler writes it (64-bit counters may come as strings, defaults absent). */
  private static JsonObject v4Up(String devEui) {
    return new JsonObject().put("deduplicationId", UUID.randomUUID().toString())
        .put("time", "2026-12-03T10:15:30.250Z")
        .put("deviceInfo", new JsonObject().put("tenantId", UUID.randomUUID().toString()).put("devEui", devEui)
            .put("deviceName", "x").put("applicationId", UUID.randomUUID().toString()))
        .put("devAddr", "01ab02cd").put("adr", true).put("dr", 5).put("fCnt", 17).put("fPort", 2)
        .put("data", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))
        .put("rxInfo", new JsonArray().add(new JsonObject().put("gatewayId", "0016c001ff10a235")
            .put("uplinkId", 1234).put("rssi", -61).put("snr", 7.25).put("context", "AAAA")))
        .put("txInfo", new JsonObject().put("frequency", 868100000));
  }

  private static HttpResponse<Buffer> post(String path, String key, JsonObject body) {
    return api.call(HttpMethod.POST, path, key, body);
  }

  /** The integration events handed on for this device so far. */
  private static List<IntegrationEvent> handedOn(long deviceId) {
    return TestTopics.read(TestStores.kafkaBootstrap(), Topics.LORAWAN_INTEGRATION).stream()
        .filter(r -> Long.toString(deviceId).equals(r.key()))
        .map(r -> KafkaCodecs.INTEGRATION_EVENT.decode(Buffer.buffer(r.value()))).toList();
  }

  private static double counted(String event, String outcome) {
    var c = meters.find("gridline.api.integration.events").tags("event", event, "outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aV4UplinkIsHandedOnForTheTenantsDevice() {
    String devEui = eui();
    long id = lorawanDevice(devEui);
    HttpResponse<Buffer> r = post("/api/v1/integrations/chirpstack?event=up", writeKey, v4Up(devEui.toUpperCase()));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    assertEquals("accepted", r.bodyAsJsonObject().getString("outcome"));

    List<IntegrationEvent> events = handedOn(id);
    assertEquals(1, events.size());
    IntegrationEvent e = events.get(0);
    assertEquals(tenantId, e.tenantId());
    assertEquals(devEui, e.devEui());
    assertEquals("up", e.event());
    assertEquals("chirpstack", e.source());
    assertEquals(java.time.Instant.parse("2026-12-03T10:15:30.250Z").toEpochMilli(), e.receivedAt());
    assertEquals(17, e.body().getLong("fCnt"));
    assertEquals(2, e.body().getInteger("fPort"));
    assertEquals("AQID", e.body().getString("data"));
    assertEquals(new JsonObject().put("gatewayId", "0016c001ff10a235").put("rssi", -61).put("snr", 7.25),
        e.body().getJsonArray("rxInfo").getJsonObject(0));
  }

  @Test
  void everyV4EventTypeIsReadAndStringCountersToo() {
    String devEui = eui();
    long id = lorawanDevice(devEui);
    JsonObject info = new JsonObject().put("devEui", devEui);
    assertEquals(202, post("/api/v1/integrations/chirpstack?event=status", writeKey, new JsonObject()
        .put("deviceInfo", info).put("margin", 10).put("batteryLevel", 55.5)).statusCode());
    assertEquals(202, post("/api/v1/integrations/chirpstack?event=join", writeKey, new JsonObject()
        .put("deviceInfo", info).put("devAddr", "01020304")).statusCode());
    assertEquals(202, post("/api/v1/integrations/chirpstack?event=ack", writeKey, new JsonObject()
        .put("deviceInfo", info).put("queueItemId", "q").put("acknowledged", true).put("fCntDown", "9")).statusCode());
    assertEquals(202, post("/api/v1/integrations/chirpstack?event=txack", writeKey, new JsonObject()
        .put("deviceInfo", info).put("gatewayId", "0016c001ff10a235")).statusCode());
    assertEquals(202, post("/api/v1/integrations/chirpstack?event=log", writeKey, new JsonObject()
        .put("deviceInfo", info).put("level", "ERROR").put("code", "UPLINK_CODEC").put("description", "bad")
        .put("context", new JsonObject().put("k", "v"))).statusCode());
    List<IntegrationEvent> events = handedOn(id);
    assertEquals(List.of("status", "join", "ack", "txack", "log"), events.stream().map(IntegrationEvent::event).toList());
    assertEquals(9, events.get(2).body().getLong("fCntDown"));
    assertEquals(55.5, events.get(0).body().getDouble("batteryLevel"));
  }

  @Test
  void unknownDevicesAreAcceptedAndCountedAndOtherTenantsNeverMatched() {
    String devEui = eui();
    long id = lorawanDevice(devEui);
    double before = counted("up", "unknown-device");
    HttpResponse<Buffer> r = post("/api/v1/integrations/chirpstack?event=up", otherKey, v4Up(devEui));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    assertEquals("unknown-device", r.bodyAsJsonObject().getString("outcome"));
    assertEquals(before + 1, counted("up", "unknown-device"));
    assertEquals(202, post("/api/v1/integrations/chirpstack?event=up", writeKey, v4Up(eui())).statusCode());
    assertTrue(handedOn(id).isEmpty());
    problem(post("/api/v1/integrations/chirpstack?event=up", readKey, v4Up(devEui)), 403);
    problem(post("/api/v1/integrations/chirpstack?event=up", null, v4Up(devEui)), 401);
  }

  @Test
  void malformedEventsAre400NamingTheField() {
    String devEui = eui();
    lorawanDevice(devEui);
    double before = counted("up", "malformed");
    invalid(post("/api/v1/integrations/chirpstack?event=upp", writeKey, v4Up(devEui)), "event");
    invalid(post("/api/v1/integrations/chirpstack", writeKey, v4Up(devEui)), "event");
    invalid(post("/api/v1/integrations/chirpstack?event=up", writeKey, v4Up(devEui).put("data", "%%%")
        .put("fCnt", -1).put("fPort", "x")), "data", "fCnt", "fPort");
    invalid(post("/api/v1/integrations/chirpstack?event=up", writeKey, v4Up(devEui).put("deviceInfo",
        new JsonObject().put("devEui", "12"))), "deviceInfo.devEui");
    invalid(post("/api/v1/integrations/chirpstack?event=up", writeKey, v4Up(devEui).put("rxInfo",
        new JsonArray().add(new JsonObject().put("rssi", "loud")))), "rxInfo[0].rssi");
    invalid(post("/api/v1/integrations/chirpstack?event=up", writeKey, new JsonObject()), "deviceInfo.devEui");
    invalid(api.call(HttpMethod.POST, "/api/v1/integrations/chirpstack?event=up", writeKey, "{not json"), "body");
    assertTrue(counted("up", "malformed") >= before + 4);
    problem(raw("/api/v1/integrations/chirpstack?event=up", "text/plain", Buffer.buffer("hello")), 415);
    invalid(raw("/api/v1/integrations/chirpstack?event=up", "application/octet-stream",
        Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xff, 0x01})), "body");
  }

  private static HttpResponse<Buffer> raw(String path, String contentType, Buffer body) {
    return ApiFixture.await(api.client.post(api.verticle().actualPort(), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + writeKey).putHeader("Content-Type", contentType).sendBuffer(body));
  }

  @Test
  void protobufEventsAreReadLikeTheirJson() {
    String devEui = eui();
    long id = lorawanDevice(devEui);
    UplinkEvent up = UplinkEvent.newBuilder().setDeduplicationId("5a4f6c1e-0b4e-4c1b-9d0b-9f8c2f7e0a11")
        .setTime(Timestamp.newBuilder().setSeconds(1_764_756_930L).setNanos(250_000_000))
        .setDeviceInfo(DeviceInfo.newBuilder().setDevEui(devEui).setDeviceName("cs").setTenantId("t"))
        .setDevAddr("01ab02cd").setFCnt(-2).setFPort(4).setConfirmed(true)
        .setData(ByteString.copyFrom(new byte[] {0x0a, 0x0b}))
        .setObject(Struct.newBuilder().putFields("temp", Value.newBuilder().setNumberValue(21.5).build()))
        .addRxInfo(UplinkRxInfo.newBuilder().setGatewayId("0016c001ff10a235").setRssi(-70).setSnr(5.5f)
            .setContext(ByteString.copyFrom(new byte[] {1, 2, 3, 4})))
        .build();
    HttpResponse<Buffer> r = raw("/api/v1/integrations/chirpstack?event=up", "application/octet-stream",
        Buffer.buffer(up.toByteArray()));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    StatusEvent status = StatusEvent.newBuilder().setDeviceInfo(DeviceInfo.newBuilder().setDevEui(devEui))
        .setMargin(-3).setBatteryLevel(42.5f).build();
    assertEquals(202, raw("/api/v1/integrations/chirpstack?event=status", "application/octet-stream",
        Buffer.buffer(status.toByteArray())).statusCode());

    List<IntegrationEvent> events = handedOn(id);
    assertEquals(List.of("up", "status"), events.stream().map(IntegrationEvent::event).toList());
    JsonObject body = events.get(0).body();
    assertEquals(4_294_967_294L, body.getLong("fCnt")); // uint32 on the wire
    assertEquals(4, body.getInteger("fPort"));
    assertTrue(body.getBoolean("confirmed"));
    assertEquals("Cgs=", body.getString("data"));
    assertEquals(21.5, body.getJsonObject("object").getDouble("temp"));
    assertEquals(new JsonObject().put("gatewayId", "0016c001ff10a235").put("rssi", -70).put("snr", 5.5),
        body.getJsonArray("rxInfo").getJsonObject(0));
    assertEquals(java.time.Instant.parse("2025-12-03T10:15:30.250Z").toEpochMilli(), events.get(0).receivedAt());
    assertEquals(-3, events.get(1).body().getInteger("margin"));
    assertEquals(42.5, events.get(1).body().getDouble("batteryLevel"));
  }

  @Test
  void seed001V3WebhooksAreAliases() {
    String devEui = eui();
    long id = lorawanDevice(devEui);
    String base = "/api/v1/lorawan/webhooks/" + tenantId;
    byte[] eui = HexFormat.of().parseHex(devEui);
    JsonObject uplink = new JsonObject().put("devEUI", Base64.getEncoder().encodeToString(eui))
        .put("fCnt", 5).put("fPort", 3).put("data", "AQI=").put("objectJSON", "{\"temp\": 22.5, \"battery\": 85}")
        .put("rxInfo", new JsonArray().add(new JsonObject().put("rssi", -95).put("loRaSNR", 4.5)));
    assertEquals(202, post(base + "/uplink", writeKey, uplink).statusCode());
    assertEquals(202, post(base + "/status", writeKey, new JsonObject().put("devEUI", devEui).put("margin", 3)
        .put("batteryLevel", 90)).statusCode());
    assertEquals(202, post(base + "/error", writeKey, new JsonObject().put("devEUI", devEui)
        .put("type", "UPLINK_FCNT").put("error", "frame-counter did not increment").put("fCnt", 5)).statusCode());
    List<IntegrationEvent> events = handedOn(id);
    assertEquals(List.of("up", "status", "log"), events.stream().map(IntegrationEvent::event).toList());
    JsonObject up = events.get(0).body();
    assertEquals(22.5, up.getJsonObject("object").getDouble("temp"));
    assertEquals(-95, up.getJsonArray("rxInfo").getJsonObject(0).getInteger("rssi"));
    assertEquals(4.5, up.getJsonArray("rxInfo").getJsonObject(0).getDouble("snr"));
    assertEquals("UPLINK_FCNT", events.get(2).body().getString("code"));
    assertEquals("ERROR", events.get(2).body().getString("level"));

    problem(post("/api/v1/lorawan/webhooks/" + UUID.randomUUID() + "/uplink", writeKey, uplink), 404);
    invalid(post(base + "/uplink", writeKey, uplink.copy().put("objectJSON", "[1,2")), "objectJSON");
    invalid(post(base + "/status", writeKey, new JsonObject()), "devEUI");
  }
}
