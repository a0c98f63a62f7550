package io.gridline.lorawan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.LoraPacketNode;
import io.gridline.runtime.Meters;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ChirpStack Gateway Bridge MQTT backend against the machine's Mosquitto (127.0.0.1:1883): an Eclipse Paho client
 * plays two gateway bridges, publishing {@code event/up}, {@code event/stats} and {@code event/ack} in the bridge's JSON
 * and reading {@code command/down}; frames are built and read by lora-packet. The topic prefix is unique per run, so
 * other users of the broker neither see nor disturb it.
 */
class MqttGatewayBackendTest {
  private static final String BROKER = "tcp://127.0.0.1:1883";
  private static final String GW1 = "0016c001f1500001";
  private static final String GW2 = "0016c001f1500002";
  private static final String REGION = "gltest" + Long.toHexString(System.nanoTime());
  private static LorawanFixture fx;
  private static LoraPacketNode loraPacket;
  private static UUID tenant;
  private static MqttClient bridge;
  private static final BlockingQueue<JsonObject> downs = new LinkedBlockingQueue<>();
  private static final SecureRandom random = new SecureRandom();

  @BeforeAll
  static void start() throws Exception {
    Metrics.addRegistry(new SimpleMeterRegistry());
    loraPacket = LoraPacketNode.installed();
    fx = new LorawanFixture();
    tenant = fx.tenant("lorawan-mqtt");
    fx.gateway(tenant, GW1);
    fx.gateway(tenant, GW2);
    LorawanVerticle v = fx.deploy(fx.config().put("lorawan.udp-port", -1).put("lorawan.mqtt.enabled", true)
        .put("lorawan.mqtt.url", BROKER).put("lorawan.mqtt.regions", REGION));
    Waits.until("subscribed on the gateway broker", 15_000, () -> v.mqttBackend().orElseThrow().connected());
    bridge = new MqttClient(BROKER, "gateway-bridge-" + REGION, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    bridge.connect(o);
    bridge.subscribe(REGION + "/gateway/+/command/down", 0,
        (topic, msg) -> downs.add(new JsonObject(new String(msg.getPayload(), StandardCharsets.UTF_8))
            .put("topic", topic)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (bridge != null && bridge.isConnected()) {
      bridge.disconnect();
      bridge.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private record Abp(long deviceId, AesKey nwk, AesKey app, String devAddr) {}

  private static Abp abpDevice() {
    String devEui = HexFormat.of().formatHex(bytes(8));
    String devAddr = "26" + HexFormat.of().formatHex(bytes(3));
    AesKey nwk = AesKey.of(bytes(16));
    AesKey app = AesKey.of(bytes(16));
    long id = fx.device(tenant, devEui, null, null, "none", new JsonObject());
    fx.abp(id, devEui, devAddr, nwk, app, 0);
    return new Abp(id, nwk, app, devAddr);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] uplink(Abp d, String mType, long fCnt, String payloadHex) {
    JsonObject built = loraPacket.call(new JsonObject().put("op", "buildData").put("mType", mType)
        .put("devAddr", d.devAddr()).put("fCnt32", fCnt).put("fCtrl", new JsonObject().put("ACK", false))
        .put("fPort", 1).put("payload", payloadHex).put("nwkSKey", d.nwk().hex()).put("appSKey", d.app().hex()));
    return HexFormat.of().parseHex(built.getString("phy"));
  }

  /** {@code event/up} as the bridge's Semtech UDP backend writes it: the concentrator counter is the context. */
  private static void publishUp(String gateway, byte[] phy, int rssi, double snr, long tmst) throws Exception {
    byte[] context = ByteBuffer.allocate(4).putInt((int) tmst).array();
    JsonObject up = new JsonObject().put("phyPayload", Base64.getEncoder().encodeToString(phy))
        .put("txInfo", new JsonObject().put("frequency", 868_300_000).put("modulation", new JsonObject()
            .put("lora", new JsonObject().put("bandwidth", 125_000).put("spreadingFactor", 9)
                .put("codeRate", "CR_4_5"))))
        .put("rxInfo", new JsonObject().put("gatewayId", gateway).put("uplinkId", random.nextInt() >>> 1)
            .put("rssi", rssi).put("snr", snr).put("channel", 1).put("rfChain", 1)
            .put("context", Base64.getEncoder().encodeToString(context)).put("crcStatus", "CRC_OK"));
    publish(gateway, "up", up.encode());
  }

  private static void publish(String gateway, String event, String json) throws Exception {
    bridge.publish(REGION + "/gateway/" + gateway + "/event/" + event,
        new MqttMessage(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static String status(UUID cmd) {
    return fx.queryString("SELECT status FROM commands WHERE id = ?", cmd);
  }

  private static double counted(String name, String tag, String value) {
    var c = Meters.registry().find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void anUplinkFromTwoBridgesIsOneUplinkAndItsDownlinkGoesBackThroughTheBestOneTimedAgainstItsContext()
      throws Exception {
    Abp d = abpDevice();
    UUID cmd = UUID.randomUUID();
    fx.update("INSERT INTO commands (id, tenant_id, device_id, device_kind, type, payload, status) VALUES (?, ?, ?, "
            + "'lorawan', 'lorawan.downlink', ?::jsonb, 'queued')", cmd, tenant, d.deviceId(),
        new JsonObject().put("fPort", 7).put("data", "c0ffee").put("confirmed", false).encode());
    byte[] phy = uplink(d, "Unconfirmed Data Up", 1, "2a");
    long tmst = 0xF000_0000L; // RX1 is past the 32-bit wrap: the delay, not the counter, goes to the gateway
    publishUp(GW1, phy, -97, -3.5, tmst + 17);
    publishUp(GW2, phy, -61, 8.25, tmst);

    JsonObject down = downs.poll(10, TimeUnit.SECONDS);
    assertNotNull(down, "a DownlinkFrame on command/down");
    assertEquals(REGION + "/gateway/" + GW2 + "/command/down", down.getString("topic"), "the better gateway");
    assertEquals(GW2, down.getString("gatewayId"));
    JsonObject item = down.getJsonArray("items").getJsonObject(0);
    JsonObject txInfo = item.getJsonObject("txInfo");
    assertEquals("1s", txInfo.getJsonObject("timing").getJsonObject("delay").getString("delay"), "RX1 delay");
    assertEquals(Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) tmst).array()),
        txInfo.getString("context"), "the uplink's context echoed");
    assertEquals(868_300_000L, txInfo.getLong("frequency"), "RX1 on the uplink's frequency");
    JsonObject lora = txInfo.getJsonObject("modulation").getJsonObject("lora");
    assertEquals(9, lora.getInteger("spreadingFactor"), "RX1 at the uplink's data rate (offset 0)");
    assertEquals(125_000, lora.getInteger("bandwidth"));
    assertTrue(lora.getBoolean("polarizationInversion"));
    JsonObject read = loraPacket.call(new JsonObject().put("op", "readData")
        .put("phy", HexFormat.of().formatHex(Base64.getDecoder().decode(item.getString("phyPayload"))))
        .put("fCnt32", 0).put("nwkSKey", d.nwk().hex()).put("appSKey", d.app().hex()));
    assertTrue(read.getBoolean("micOk"));
    assertEquals(7, read.getInteger("fPort"));
    assertEquals("c0ffee", read.getString("payload"));

    Waits.until("sent", 10_000, () -> "sent".equals(status(cmd)));
    publish(GW2, "ack", new JsonObject().put("gatewayId", GW2).put("downlinkId", down.getLong("downlinkId"))
        .put("items", new JsonArray().add(new JsonObject().put("status", "OK"))).encode());
    Waits.until("completed by the gateway's ack", 10_000, () -> "completed".equals(status(cmd)));

    assertEquals(1, fx.queryLong("SELECT count(*) FROM lorawan_frames WHERE device_id = ?", d.deviceId()));
    JsonArray rx = new JsonArray(fx.queryString("SELECT rx_info::text FROM lorawan_frames WHERE device_id = ?",
        d.deviceId()));
    assertEquals(2, rx.size(), "both bridges' receptions");
    assertEquals(GW2, rx.getJsonObject(0).getString("gatewayId"));
    assertEquals(-61, rx.getJsonObject(0).getInteger("rssi"));
    assertEquals("2a", fx.queryString("SELECT encode(data, 'hex') FROM lorawan_frames WHERE device_id = ?",
        d.deviceId()));
  }

  @Test
  void aFailedAckFailsTheDownlinkWithTheGatewaysReason() throws Exception {
    Abp d = abpDevice();
    UUID cmd = UUID.randomUUID();
    fx.update("INSERT INTO commands (id, tenant_id, device_id, device_kind, type, payload, status) VALUES (?, ?, ?, "
            + "'lorawan', 'lorawan.downlink', ?::jsonb, 'queued')", cmd, tenant, d.deviceId(),
        new JsonObject().put("fPort", 8).put("data", "01").put("confirmed", false).encode());
    publishUp(GW1, uplink(d, "Unconfirmed Data Up", 1, "01"), -80, 2, 5_000_000);
    JsonObject down = downs.poll(10, TimeUnit.SECONDS);
    assertNotNull(down);
    Waits.until("sent", 10_000, () -> "sent".equals(status(cmd)));
    publish(GW1, "ack", new JsonObject().put("gatewayId", GW1).put("downlinkId", down.getLong("downlinkId"))
        .put("items", new JsonArray().add(new JsonObject().put("status", "COLLISION_PACKET"))).encode());
    Waits.until("failed", 10_000, () -> "failed".equals(status(cmd)));
    assertTrue(fx.queryString("SELECT error FROM commands WHERE id = ?", cmd).contains("COLLISION_PACKET"));
  }

  @Test
  void statsAreKeptAndBadOrForeignMessagesAreCountedNotHandled() throws Exception {
    publish(GW1, "stats", new JsonObject().put("gatewayId", GW1).put("time", "2026-12-04T02:00:00Z")
        .put("location", new JsonObject().put("latitude", 52.5).put("longitude", 13.4).put("altitude", 40))
        .put("rxPacketsReceived", 12).put("rxPacketsReceivedOk", 11).encode());
    Waits.until("stats kept", 10_000, () -> "11".equals(fx.queryString(
        "SELECT stats->>'rxReceivedOk' FROM lorawan_gateways WHERE gateway_id = ?", GW1)));
    assertEquals("52.5", fx.queryString("SELECT stats->>'latitude' FROM lorawan_gateways WHERE gateway_id = ?", GW1));

    double badJson = counted("gridline.lorawan.mqtt.messages.refused", "reason", "bad-json");
    double unknown = counted("gridline.lorawan.mqtt.messages.refused", "reason", "unknown-gateway");
    double mismatch = counted("gridline.lorawan.mqtt.messages.refused", "reason", "gateway-mismatch");
    publish(GW1, "up", "{not json");
    publishUp("0016c001f15000ff", bytes(20), -70, 1, 1); // not registered
    publish(GW1, "up", new JsonObject().put("phyPayload", "QAEBAQGAAQABWG1wUcs=").put("txInfo", new JsonObject()
        .put("frequency", 868_100_000).put("modulation", new JsonObject().put("lora", new JsonObject()
            .put("bandwidth", 125_000).put("spreadingFactor", 7))))
        .put("rxInfo", new JsonObject().put("gatewayId", GW2)).encode()); // GW2's reception on GW1's topic
    Waits.until("three refusals counted", 10_000,
        () -> counted("gridline.lorawan.mqtt.messages.refused", "reason", "bad-json") == badJson + 1
            && counted("gridline.lorawan.mqtt.messages.refused", "reason", "unknown-gateway") == unknown + 1
            && counted("gridline.lorawan.mqtt.messages.refused", "reason", "gateway-mismatch") == mismatch + 1);
    // the backend is still there for good traffic
    Abp d = abpDevice();
    publishUp(GW1, uplink(d, "Unconfirmed Data Up", 3, "03"), -70, 4, 9_000_000);
    Waits.until("a good uplink after the bad ones", 10_000,
        () -> fx.queryLong("SELECT count(*) FROM lorawan_frames WHERE device_id = ?", d.deviceId()) == 1);
  }
}
