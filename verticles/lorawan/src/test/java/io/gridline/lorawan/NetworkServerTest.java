package io.gridline.lorawan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.LoraPacketNode;
import io.gridline.runtime.Meters;
import io.gridline.testkit.TestGateway;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The network server end to end over real UDP: frames built and read by lora-packet (an independent LoRaWAN
 * implementation, npm), sent by packet forwarders speaking the Semtech protocol from the test, through dedup, sessions
 * in Redis and PostgreSQL, Kafka events and the shared command lifecycle.
 */
class NetworkServerTest {
  private static final String GW1 = "aa555a0000000001";
  private static final String GW2 = "aa555a0000000002";
  private static final String GW3 = "aa555a0000000003";
  private static LorawanFixture fx;
  private static LoraPacketNode loraPacket;
  private static int port;
  private static UUID tenant;

  @BeforeAll
  static void start() {
    // the verticle counts into the global registry; outside a node nothing backs it but this
    Metrics.addRegistry(new SimpleMeterRegistry());
    loraPacket = LoraPacketNode.installed();
    fx = new LorawanFixture();
    tenant = fx.tenant("lorawan");
    fx.gateway(tenant, GW1);
    fx.gateway(tenant, GW2);
    fx.gateway(tenant, GW3);
    port = fx.deploy().udpPort();
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  /** A device with an ABP session (random keys and address), its DevEUI. */
  private record Abp(long deviceId, String devEui, String devAddr, AesKey nwk, AesKey app) {}

  private static Abp abpDevice(String codec) {
    String devEui = HexFormat.of().formatHex(random(8));
    String devAddr = "26" + HexFormat.of().formatHex(random(3));
    AesKey nwk = AesKey.of(random(16));
    AesKey app = AesKey.of(random(16));
    long id = fx.device(tenant, devEui, null, null, codec, new JsonObject());
    fx.abp(id, devEui, devAddr, nwk, app, 0);
    return new Abp(id, devEui, devAddr, nwk, app);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private static byte[] uplink(Abp d, String mType, long fCnt, int fPort, String payloadHex, boolean ack) {
    JsonObject built = loraPacket.call(new JsonObject().put("op", "buildData").put("mType", mType)
        .put("devAddr", d.devAddr()).put("fCnt32", fCnt).put("fCtrl", new JsonObject().put("ACK", ack))
        .put("fPort", fPort).put("payload", payloadHex).put("nwkSKey", d.nwk().hex()).put("appSKey", d.app().hex()));
    return HexFormat.of().parseHex(built.getString("phy"));
  }

  private static JsonObject readDown(Abp d, byte[] phy, long fCnt) {
    return loraPacket.call(new JsonObject().put("op", "readData").put("phy", HexFormat.of().formatHex(phy))
        .put("fCnt32", fCnt).put("nwkSKey", d.nwk().hex()).put("appSKey", d.app().hex()));
  }

  private static double refused(String reason) {
    var c = Meters.registry().find("gridline.lorawan.uplinks.refused").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static long frames(long deviceId) {
    return fx.queryLong("SELECT count(*) FROM lorawan_frames WHERE device_id = ?", deviceId);
  }

  @Test
  void oneUplinkHeardByThreeGatewaysIsHandledOnceWithEveryReception() throws Exception {
    Abp d = abpDevice("none");
    byte[] phy = uplink(d, "Unconfirmed Data Up", 1, 2, "0102030405", false);
    try (TestGateway g1 = new TestGateway(GW1, port); TestGateway g2 = new TestGateway(GW2, port);
        TestGateway g3 = new TestGateway(GW3, port)) {
      int t1 = g1.push(phy, -60, 9.5);
      int t2 = g2.push(phy, -90, 2.0);
      int t3 = g3.push(phy, -75, 7.25);
      // each PUSH_DATA is acknowledged with its own token
      assertEquals(t1, g1.receive(5_000).token());
      assertEquals(t2, g2.receive(5_000).token());
      assertEquals(t3, g3.receive(5_000).token());
      Waits.until("the uplink stored", 15_000, () -> frames(d.deviceId()) == 1);
      Waits.sleep(LorawanFixture.DEDUP_WINDOW_MS * 3);
      assertEquals(1, frames(d.deviceId()), "three copies, one uplink");
      JsonArray rx = new JsonArray(fx.queryString("SELECT rx_info::text FROM lorawan_frames WHERE device_id = ?",
          d.deviceId()));
      assertEquals(3, rx.size());
      assertEquals(GW1, rx.getJsonObject(0).getString("gatewayId"), "best SNR first");
      assertEquals("0102030405", fx.queryString("SELECT encode(data, 'hex') FROM lorawan_frames WHERE device_id = ?",
          d.deviceId()), "FRMPayload decrypted");
      assertEquals(2, fx.queryLong("SELECT f_cnt_up FROM lorawan_sessions WHERE device_id = ?", d.deviceId()));
      assertEquals(-60, fx.queryLong("SELECT last_rssi FROM lorawan_devices WHERE device_id = ?", d.deviceId()),
          "the best gateway's reception kept");
      assertTrue(fx.queryString("SELECT last_seen_at FROM devices WHERE id = ?", d.deviceId()) != null);
    }
    List<JsonObject> uplinks = fx.records(Topics.EVENTS).stream()
        .filter(e -> "lorawan.uplink".equals(e.getString("type")) && e.getLong("deviceId") == d.deviceId()).toList();
    assertEquals(1, uplinks.size());
    JsonObject data = uplinks.get(0).getJsonObject("data");
    assertEquals(d.devEui(), data.getString("devEui"));
    assertEquals(2, data.getInteger("fPort"));
    assertEquals(1, data.getLong("fCnt"));
    assertEquals("0102030405", data.getString("data"));
    assertEquals(3, data.getJsonArray("rxInfo").size());
  }

  @Test
  void aSessionRedisDoesNotIndexIsFoundInTheDatabaseBeforeAFrameIsRefused() throws Exception {
    Abp first = abpDevice("none");
    try (TestGateway g = new TestGateway(GW1, port)) {
      g.push(uplink(first, "Unconfirmed Data Up", 1, 1, "01", false), -70, 5);
      Waits.until("the first device's uplink", 15_000, () -> frames(first.deviceId()) == 1);
      // a second device on the same address, written to PostgreSQL only: Redis indexes the first one alone
      AesKey nwk = AesKey.of(random(16));
      AesKey app = AesKey.of(random(16));
      String devEui = HexFormat.of().formatHex(random(8));
      long id = fx.device(tenant, devEui, null, null, "none", new JsonObject());
      fx.abp(id, devEui, first.devAddr(), nwk, app, 0);
      Abp second = new Abp(id, devEui, first.devAddr(), nwk, app);
      double micRefused = refused("mic-mismatch");
      g.push(uplink(second, "Unconfirmed Data Up", 1, 1, "02", false), -70, 5);
      Waits.until("the second device's uplink", 15_000, () -> frames(second.deviceId()) == 1);
      assertEquals(micRefused, refused("mic-mismatch"));
      g.push(uplink(first, "Unconfirmed Data Up", 2, 1, "03", false), -70, 5);
      Waits.until("both still heard", 15_000, () -> frames(first.deviceId()) == 2);
    }
  }

  @Test
  void aReplayedCounterAndABadMicAreRefusedAndCounted() throws Exception {
    Abp d = abpDevice("none");
    try (TestGateway g = new TestGateway(GW1, port)) {
      g.push(uplink(d, "Unconfirmed Data Up", 5, 1, "aa", false), -70, 5);
      Waits.until("first uplink", 15_000, () -> frames(d.deviceId()) == 1);
      double replays = refused("replay");
      g.push(uplink(d, "Unconfirmed Data Up", 3, 1, "bb", false), -70, 5);
      Waits.until("replay counted", 15_000, () -> refused("replay") > replays);
      double mics = refused("mic-mismatch");
      Abp forged = new Abp(d.deviceId(), d.devEui(), d.devAddr(), AesKey.of(random(16)), d.app());
      g.push(uplink(forged, "Unconfirmed Data Up", 9, 1, "cc", false), -70, 5);
      Waits.until("bad MIC counted", 15_000, () -> refused("mic-mismatch") > mics);
      assertEquals(1, frames(d.deviceId()), "neither stored");
      assertEquals(6, fx.queryLong("SELECT f_cnt_up FROM lorawan_sessions WHERE device_id = ?", d.deviceId()));
    }
  }

  @Test
  void aQueuedDownlinkGoesOutInRx1AfterTheNextUplinkAndTheTxAckCompletesIt() throws Exception {
    Abp d = abpDevice("none");
    UUID cmd = UUID.randomUUID();
    fx.update("INSERT INTO commands (id, tenant_id, device_id, device_kind, type, payload, status) VALUES (?, ?, ?, "
            + "'lorawan', 'lorawan.downlink', ?::jsonb, 'queued')", cmd, tenant, d.deviceId(),
        new JsonObject().put("fPort", 10).put("data", "cafe01").put("confirmed", false).encode());
    try (TestGateway g = new TestGateway(GW2, port)) {
      g.pull();
      assertEquals(4, g.receive(5_000).identifier(), "PULL_ACK");
      g.push(uplink(d, "Unconfirmed Data Up", 1, 1, "01", false), -80, 3);
      TestGateway.Received resp = g.pullResp(10_000);
      assertNotNull(resp, "PULL_RESP");
      JsonObject txpk = resp.json().getJsonObject("txpk");
      assertEquals((g.lastTmst() + 1_000_000) & 0xFFFFFFFFL, txpk.getLong("tmst"), "RX1: uplink tmst + 1 s");
      assertEquals(868.1, txpk.getDouble("freq"), 1e-6);
      assertEquals("SF7BW125", txpk.getString("datr"));
      assertTrue(txpk.getBoolean("ipol"));
      JsonObject down = readDown(d, resp.txData(), 0);
      assertTrue(down.getBoolean("micOk"));
      assertEquals("Unconfirmed Data Down", down.getString("mType"));
      assertEquals(10, down.getInteger("fPort"));
      assertEquals("cafe01", down.getString("payload"));
      assertEquals(0, down.getInteger("fCnt"));
      Waits.until("sent", 10_000, () -> "sent".equals(status(cmd)));
      g.txAck(resp.token(), "NONE");
      Waits.until("completed", 10_000, () -> "completed".equals(status(cmd)));
      assertEquals(1, fx.queryLong("SELECT n_f_cnt_down FROM lorawan_sessions WHERE device_id = ?", d.deviceId()));
    }
  }

  @Test
  void aConfirmedDownlinkIsSentAgainUntilTheDeviceAcknowledgesIt() throws Exception {
    Abp d = abpDevice("none");
    UUID cmd = UUID.randomUUID();
    fx.update("INSERT INTO commands (id, tenant_id, device_id, device_kind, type, payload, status) VALUES (?, ?, ?, "
            + "'lorawan', 'lorawan.downlink', ?::jsonb, 'queued')", cmd, tenant, d.deviceId(),
        new JsonObject().put("fPort", 3).put("data", "beef").put("confirmed", true).encode());
    try (TestGateway g = new TestGateway(GW3, port)) {
      g.pull();
      g.push(uplink(d, "Unconfirmed Data Up", 1, 1, "01", false), -80, 3);
      JsonObject first = readDown(d, g.pullResp(10_000).txData(), 0);
      assertEquals("Confirmed Data Down", first.getString("mType"));
      assertEquals("beef", first.getString("payload"));
      // no ACK in the next uplink: sent again with the next downlink counter
      g.push(uplink(d, "Unconfirmed Data Up", 2, 1, "02", false), -80, 3);
      JsonObject second = readDown(d, g.pullResp(10_000).txData(), 1);
      assertTrue(second.getBoolean("micOk"));
      assertEquals("beef", second.getString("payload"));
      assertEquals(1, second.getInteger("fCnt"));
      Waits.until("two sends", 10_000,
          () -> fx.queryLong("SELECT attempts FROM commands WHERE id = ?", cmd) == 2);
      // the device's ACK
      g.push(uplink(d, "Unconfirmed Data Up", 3, 1, "03", true), -80, 3);
      Waits.until("acked", 10_000, () -> "acked".equals(status(cmd)));
      assertNull(g.pullResp(2_500), "nothing more to send");
    }
    assertTrue(fx.records(Topics.EVENTS).stream().anyMatch(e -> "lorawan.ack".equals(e.getString("type"))
        && cmd.toString().equals(e.getJsonObject("data").getString("commandId"))));
  }

  @Test
  void aConfirmedUplinkIsAcknowledgedByAnEmptyDownlink() throws Exception {
    Abp d = abpDevice("none");
    try (TestGateway g = new TestGateway(GW1, port)) {
      g.pull();
      g.push(uplink(d, "Confirmed Data Up", 1, 1, "01", false), -80, 3);
      JsonObject down = readDown(d, g.pullResp(10_000).txData(), 0);
      assertTrue(down.getBoolean("micOk"));
      assertTrue(down.getBoolean("ack"));
      assertNull(down.getValue("fPort"));
    }
  }

  @Test
  void otaaJoinEndToEndThenAnUplinkWithTheDerivedKeys() throws Exception {
    String devEui = HexFormat.of().formatHex(random(8));
    String joinEui = "70b3d57ed0000001";
    AesKey appKey = AesKey.of(random(16));
    long id = fx.device(tenant, devEui, joinEui, appKey, "none", new JsonObject());
    byte[] join = HexFormat.of().parseHex(loraPacket.call(new JsonObject().put("op", "buildJoinRequest")
        .put("joinEui", joinEui).put("devEui", devEui).put("devNonce", "0102").put("appKey", appKey.hex()))
        .getString("phy"));
    try (TestGateway g = new TestGateway(GW2, port)) {
      g.pull();
      g.push(join, -70, 6);
      TestGateway.Received resp = g.pullResp(10_000);
      assertNotNull(resp, "JoinAccept in a PULL_RESP");
      assertEquals((g.lastTmst() + 5_000_000) & 0xFFFFFFFFL, resp.json().getJsonObject("txpk").getLong("tmst"),
          "JOIN_ACCEPT_DELAY1");
      JsonObject accept = loraPacket.call(new JsonObject().put("op", "readJoinAccept")
          .put("phy", HexFormat.of().formatHex(resp.txData())).put("appKey", appKey.hex()));
      assertEquals("Join Accept", accept.getString("mType"));
      assertTrue(accept.getBoolean("micOk"));
      assertEquals("000000", accept.getString("netId"));
      assertEquals(1, accept.getInteger("rxDelay"));
      JsonObject keys = loraPacket.call(new JsonObject().put("op", "sessionKeys").put("appKey", appKey.hex())
          .put("netId", accept.getString("netId")).put("joinNonce", accept.getString("appNonce"))
          .put("devNonce", "0102"));
      Abp joined = new Abp(id, devEui, accept.getString("devAddr"), AesKey.fromHex(keys.getString("nwkSKey")),
          AesKey.fromHex(keys.getString("appSKey")));
      g.push(uplink(joined, "Unconfirmed Data Up", 0, 4, "abcd", false), -70, 6);
      Waits.until("the first uplink of the joined device", 15_000, () -> frames(id) == 1);
      // the same JoinRequest again, once its dedup lock expired (before that it is a copy of the first), is a
      // DevNonce replay
      Waits.sleep(LorawanFixture.DEDUP_WINDOW_MS * 2 + 1_200);
      double replays = refused("dev-nonce-replay");
      g.push(join, -70, 6);
      Waits.until("DevNonce replay counted", 15_000, () -> refused("dev-nonce-replay") > replays);
    }
    assertNotNull(fx.queryString("SELECT joined_at::text FROM lorawan_devices WHERE device_id = ?", id));
  }

  @Test
  void aCayenneLppDeviceReadingsBecomeDecodedTelemetry() throws Exception {
    Abp d = abpDevice("cayenne-lpp");
    try (TestGateway g = new TestGateway(GW1, port)) {
      g.push(uplink(d, "Unconfirmed Data Up", 1, 1, "03670110056700FF", false), -70, 5);
      Waits.until("stored", 15_000, () -> frames(d.deviceId()) == 1);
    }
    Waits.until("decoded telemetry", 15_000, () -> fx.records(Topics.TELEMETRY_DECODED).stream()
        .anyMatch(r -> r.getLong("deviceId") == d.deviceId()));
    JsonObject decoded = fx.records(Topics.TELEMETRY_DECODED).stream()
        .filter(r -> r.getLong("deviceId") == d.deviceId()).findFirst().orElseThrow();
    JsonArray values = decoded.getJsonArray("values");
    assertEquals(2, values.size());
    assertEquals("sensor-3.temperature", values.getJsonObject(0).getString("label"));
    assertEquals(27.2, values.getJsonObject(0).getDouble("value"), 1e-9);
    assertEquals(25.5, values.getJsonObject(1).getDouble("value"), 1e-9);
  }

  @Test
  void anUnknownGatewayAndMalformedDatagramsAreCountedAndDropped() throws Exception {
    try (TestGateway g = new TestGateway("0102030405060708", port)) {
      g.pull();
      assertNull(g.receive(1_500), "no PULL_ACK for a gateway nobody registered");
      g.raw(new byte[] {2, 0});
      g.raw(new byte[] {9, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
    }
    Waits.until("counted", 10_000, () -> {
      var unknown = Meters.registry().find("gridline.lorawan.datagrams.refused").tag("reason", "unknown-gateway")
          .counter();
      var short_ = Meters.registry().find("gridline.lorawan.datagrams.refused").tag("reason", "too-short").counter();
      return unknown != null && unknown.count() >= 1 && short_ != null && short_.count() >= 1;
    });
  }

  private static String status(UUID cmd) {
    return fx.queryString("SELECT status FROM commands WHERE id = ?", cmd);
  }
}
