package io.gridline.lorawan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.ParkedHeaders;
import io.gridline.contracts.Topics;
import io.gridline.contracts.lorawan.IntegrationEvent;
import io.gridline.testkit.TestTopics;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lorawan verticle's half of ChirpStack's integration: {@link IntegrationEvent}s on Kafka, as the api produces
 * them, become frames (source chirpstack), device status, {@code lorawan.*} events and decoded telemetry — once, even
 * when delivered twice; malformed ones are parked with a reason and do not hold up the ones after them.
 */
class ChirpstackIntegrationTest {
  private static LorawanFixture fx;
  private static UUID tenant;
  private static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void start() {
    Metrics.addRegistry(new SimpleMeterRegistry());
    fx = new LorawanFixture();
    tenant = fx.tenant("chirpstack");
    fx.deploy();
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fx.kafkaBootstrap),
        new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private static String eui() {
    return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(ThreadLocalRandom.current().nextLong())
        .array());
  }

  private static void send(IntegrationEvent e) throws Exception {
    producer.send(new ProducerRecord<>(Topics.LORAWAN_INTEGRATION, Long.toString(e.deviceId()),
        KafkaCodecs.INTEGRATION_EVENT.encode(e).getBytes())).get();
  }

  private static void sendRaw(String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(Topics.LORAWAN_INTEGRATION, key, value)).get();
  }

  private static IntegrationEvent event(long deviceId, String devEui, String type, long at, JsonObject body) {
    return new IntegrationEvent(tenant.toString(), deviceId, devEui, "chirpstack", type, at, body);
  }

  private static JsonObject up(String dedupId, long fCnt, String dataHex) {
    return new JsonObject().put("deduplicationId", dedupId).put("fCnt", fCnt).put("fPort", 1)
        .put("confirmed", false).put("data", java.util.Base64.getEncoder().encodeToString(HexFormat.of()
            .parseHex(dataHex)))
        .put("rxInfo", new JsonArray()
            .add(new JsonObject().put("gatewayId", "0016c001ff10a235").put("rssi", -80).put("snr", 2.5))
            .add(new JsonObject().put("gatewayId", "0016c001ff10a236").put("rssi", -57).put("snr", 9.25)));
  }

  private static long frames(long deviceId) {
    return fx.queryLong("SELECT count(*) FROM lorawan_frames WHERE device_id = ? AND source = 'chirpstack'", deviceId);
  }

  @Test
  void anUplinkIsStoredEmittedAndDecodedOnceEvenWhenDeliveredTwice() throws Exception {
    String devEui = eui();
    long id = fx.device(tenant, devEui, null, null, "cayenne-lpp", new JsonObject());
    String dedup = UUID.randomUUID().toString();
    long at = System.currentTimeMillis() - 1_000;
    IntegrationEvent e = event(id, devEui, "up", at, up(dedup, 42, "03670110056700FF"));
    send(e);
    send(e);
    Waits.until("frame stored", 15_000, () -> frames(id) == 1);
    assertEquals(42, fx.queryLong("SELECT f_cnt FROM lorawan_frames WHERE device_id = ?", id));
    assertEquals("03670110056700ff", fx.queryString("SELECT encode(data, 'hex') FROM lorawan_frames WHERE device_id = ?",
        id));
    assertEquals(-57, fx.queryLong("SELECT last_rssi FROM lorawan_devices WHERE device_id = ?", id));
    assertNotNull(fx.queryString("SELECT last_seen_at FROM devices WHERE id = ?", id));

    Waits.until("decoded telemetry", 15_000, () -> fx.records(Topics.TELEMETRY_DECODED).stream()
        .anyMatch(r -> r.getLong("deviceId") == id));
    JsonObject decoded = fx.records(Topics.TELEMETRY_DECODED).stream().filter(r -> r.getLong("deviceId") == id)
        .findFirst().orElseThrow();
    assertEquals(27.2, decoded.getJsonArray("values").getJsonObject(0).getDouble("value"), 1e-9);

    List<JsonObject> uplinks = fx.records(Topics.EVENTS).stream()
        .filter(ev -> "lorawan.uplink".equals(ev.getString("type")) && ev.getLong("deviceId") == id).toList();
    assertTrue(uplinks.size() >= 1);
    assertEquals(1, uplinks.stream().map(ev -> ev.getString("eventId")).distinct().count(), uplinks.toString());
    JsonObject data = uplinks.get(0).getJsonObject("data");
    assertEquals("chirpstack", data.getString("source"));
    assertEquals(42, data.getLong("fCnt"));
    assertEquals(2, data.getJsonArray("rxInfo").size());
    Thread.sleep(500); // the second delivery has been applied by now: still one frame
    assertEquals(1, frames(id));
  }

  @Test
  void statusJoinAckAndLogUpdateTheDevice() throws Exception {
    String devEui = eui();
    long id = fx.device(tenant, devEui, null, null, "none", new JsonObject());
    long at = System.currentTimeMillis();
    send(event(id, devEui, "status", at, new JsonObject().put("margin", 7).put("batteryLevel", 87.5)));
    send(event(id, devEui, "join", at, new JsonObject().put("deduplicationId", UUID.randomUUID().toString())
        .put("devAddr", "01ab02cd")));
    send(event(id, devEui, "ack", at, new JsonObject().put("queueItemId", "q-1").put("acknowledged", true)
        .put("fCntDown", 3)));
    send(event(id, devEui, "log", at, new JsonObject().put("level", "ERROR").put("code", "UPLINK_F_CNT_RESET")
        .put("description", "frame counter reset").put("context", new JsonObject().put("deduplication_id", "x"))));
    Waits.until("log kept", 15_000, () -> fx.queryLong("SELECT count(*) FROM lorawan_device_log WHERE device_id = ?",
        id) == 1);
    assertEquals(7, fx.queryLong("SELECT margin FROM lorawan_devices WHERE device_id = ?", id));
    assertEquals("87.5", fx.queryString("SELECT battery_level::text FROM lorawan_devices WHERE device_id = ?", id));
    assertNotNull(fx.queryString("SELECT joined_at FROM lorawan_devices WHERE device_id = ?", id));
    assertEquals("UPLINK_F_CNT_RESET", fx.queryString("SELECT code FROM lorawan_device_log WHERE device_id = ?", id));
    List<JsonObject> events = fx.records(Topics.EVENTS).stream().filter(ev -> ev.getLong("deviceId") == id).toList();
    assertTrue(events.stream().anyMatch(ev -> "lorawan.join".equals(ev.getString("type"))
        && "01ab02cd".equals(ev.getJsonObject("data").getString("devAddr"))), events.toString());
    assertTrue(events.stream().anyMatch(ev -> "lorawan.ack".equals(ev.getString("type"))
        && ev.getJsonObject("data").getBoolean("acknowledged")), events.toString());
  }

  @Test
  void malformedEventsAreParkedWithAReasonAndTheNextOneIsApplied() throws Exception {
    String devEui = eui();
    long id = fx.device(tenant, devEui, null, null, "none", new JsonObject());
    sendRaw(Long.toString(id), "not json".getBytes(StandardCharsets.UTF_8));
    send(event(id, devEui, "up", System.currentTimeMillis(), new JsonObject().put("data", "!!not base64")
        .put("fCnt", 1)));
    send(event(id, devEui, "bogus", System.currentTimeMillis(), new JsonObject()));
    send(event(id, devEui, "up", System.currentTimeMillis(), up(UUID.randomUUID().toString(), 2, "0102")));
    Waits.until("the good event after them applied", 15_000, () -> frames(id) == 1);
    Waits.until("three parked", 15_000, () -> parkedReasons(Long.toString(id)).size() == 3);
    assertEquals(List.of("malformed", "malformed", "malformed"), parkedReasons(Long.toString(id)));
  }

  /** The reasons of the records parked under this key, in order. */
  private static List<String> parkedReasons(String key) {
    return TestTopics.read(fx.kafkaBootstrap, Topics.LORAWAN_INTEGRATION_PARKED).stream()
        .filter(r -> key.equals(r.key())).map(r -> r.headers().get(ParkedHeaders.REASON)).toList();
  }
}
