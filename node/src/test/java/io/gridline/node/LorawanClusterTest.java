package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.FCtrl;
import io.gridline.lrwn.frame.Fhdr;
import io.gridline.lrwn.frame.FrmCipher;
import io.gridline.lrwn.frame.MType;
import io.gridline.lrwn.frame.Mic;
import io.gridline.lrwn.frame.PhyPayload;
import io.gridline.lrwn.frame.SessionKeys;
import io.gridline.testkit.TestGateway;
import io.gridline.testkit.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LoRaWAN network server on two clustered nodes (A: api and lorawan, B: lorawan), each with its own Semtech UDP
 * port, as behind a UDP load balancer that spreads a gateway's datagrams over the nodes: copies of one frame arriving
 * at both nodes are one uplink, and a downlink for a gateway whose PULL_DATA went to the other node leaves through
 * that node (event bus → its UDP socket); a Cayenne LPP device's readings reach {@code decoded_data} through B's sink
 * and come back from A's api.
 */
class LorawanClusterTest {
  private static final String GW1 = "aa555a00000c0001";
  private static final String GW2 = "aa555a00000c0002";
  private static final String GW3 = "aa555a00000c0003";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static Node a;
  private static Node b;
  private static int apiPort;
  private static int udpA;
  private static int udpB;
  private static String writeKey;

  @BeforeAll
  static void formCluster() throws Exception {
    TestNodes.ClusterEnv cluster = TestNodes.cluster("lorawan-test", "lora-node-a-" + UUID.randomUUID(),
        "lora-node-b-" + UUID.randomUUID());
    Map<String, String> envA = cluster.a();
    Map<String, String> envB = cluster.b();
    udpA = freeUdpPort();
    udpB = freeUdpPort();
    for (Map<String, String> env : List.of(envA, envB)) {
      env.put("GRIDLINE_LORAWAN_HOST", "127.0.0.1");
    }
    envA.put("GRIDLINE_LORAWAN_UDP_PORT", Integer.toString(udpA));
    envB.put("GRIDLINE_LORAWAN_UDP_PORT", Integer.toString(udpB));
    apiPort = Integer.parseInt(envA.get("GRIDLINE_API_PORT"));

    // one after the other: two nodes migrating the same fresh database at once can race in Flyway's baseline
    a = TestNodes.start(envA, "--cluster", "--verticles", "api,lorawan");
    b = TestNodes.start(envB, "--cluster", "--verticles", "lorawan,timescale-sink");
    for (Node n : List.of(a, b)) {
      TestNodes.await(n.opsPort(), "/cluster", r -> TestNodes.json(r).getJsonArray("members").size() == 2,
          Duration.ofSeconds(30));
    }
    writeKey = TestNodes.tenantWriteKey(apiPort, envA.get("GRIDLINE_API_ADMIN_KEY"), "lorawan-cluster");
    for (String gw : List.of(GW1, GW2, GW3)) {
      TestNodes.expect(201, api("POST", "/api/v1/lorawan/gateways", writeKey,
          new JsonObject().put("gatewayId", gw).put("name", "gw " + gw).put("region", "EU868")));
      for (int udp : List.of(udpA, udpB)) {
        try (TestGateway g = new TestGateway(gw, udp)) {
          g.awaitKnown(10_000); // both nodes know the gateway just registered before a test's first frame
        }
      }
    }
  }

  @AfterAll
  static void stopNodes() {
    TestNodes.stop(b);
    TestNodes.stop(a);
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static java.net.http.HttpResponse<String> api(String method, String path, String bearer, JsonObject body) {
    return TestNodes.api(apiPort, method, path, bearer, body);
  }

  /** An ABP device provisioned and activated through node A's api. */
  private record Abp(long id, String devEui, DevAddr devAddr, SessionKeys keys) {}

  private static Abp abpDevice() {
    return abpDevice("none");
  }

  private static Abp abpDevice(String payloadCodec) {
    String devEui = HexFormat.of().formatHex(bytes(8));
    long id = TestNodes.json(TestNodes.expect(201, api("POST", "/api/v1/lorawan/devices", writeKey,
        new JsonObject().put("devEui", devEui).put("joinEui", "0000000000000000")
            .put("appKey", HexFormat.of().formatHex(bytes(16))).put("class", "A").put("region", "EU868")
            .put("name", "lora " + devEui).put("payloadCodec", payloadCodec)))).getLong("id");
    String devAddr = "26" + HexFormat.of().formatHex(bytes(3));
    AesKey nwk = AesKey.of(bytes(16));
    AesKey app = AesKey.of(bytes(16));
    TestNodes.expect(204, api("POST", "/api/v1/lorawan/devices/" + devEui + "/activate", writeKey, new JsonObject()
        .put("devAddr", devAddr).put("nwkSKey", nwk.hex()).put("appSKey", app.hex()).put("fCntUp", 0)
        .put("fCntDown", 0)));
    return new Abp(id, devEui, DevAddr.fromHex(devAddr), new SessionKeys(nwk, app));
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static byte[] uplink(Abp d, long fCnt, String payloadHex) {
    DataFrame frame = new DataFrame(MType.UNCONFIRMED_DATA_UP, new Fhdr(d.devAddr(),
        FCtrl.uplink(false, false, false, false), (int) (fCnt & 0xFFFF), Bytes.EMPTY), OptionalInt.of(1),
        Bytes.fromHex(payloadHex), 0);
    return Mic.signData(FrmCipher.encrypt(frame, d.keys(), fCnt), d.keys().nwkSKey(), fCnt).encode();
  }

  private static JsonArray frames(Abp d) {
    return TestNodes.json(TestNodes.expect(200, api("GET", "/api/v1/lorawan/devices/" + d.devEui() + "/frames",
        writeKey, null))).getJsonArray("items");
  }

  @Test
  void copiesOfOneFrameArrivingAtBothNodesAreOneUplinkWithEveryReception() throws Exception {
    Abp d = abpDevice();
    byte[] phy = uplink(d, 1, "0a0b0c");
    try (TestGateway g1 = new TestGateway(GW1, udpA); TestGateway g2 = new TestGateway(GW2, udpB);
        TestGateway g3 = new TestGateway(GW3, udpA)) {
      g1.push(phy, -70, 4.5);
      g2.push(phy, -50, 9.0);
      g3.push(phy, -100, -2.0);
      Waits.until("the uplink stored", 15_000, () -> frames(d).size() == 1);
      Waits.sleep(1_000); // well past the dedup window: a second handling would have shown
      JsonArray items = frames(d);
      assertEquals(1, items.size(), "one uplink, whichever node took which copy: " + items.encode());
      JsonArray rx = items.getJsonObject(0).getJsonArray("rxInfo");
      assertEquals(3, rx.size(), rx.encode());
      assertEquals(GW2, rx.getJsonObject(0).getString("gatewayId"), "best SNR first");
      assertEquals("0a0b0c", items.getJsonObject(0).getString("data"));
    }
  }

  @Test
  void aDownlinkForAGatewayHeldByTheOtherNodeLeavesThroughThatNode() throws Exception {
    Abp d = abpDevice();
    JsonObject queued = TestNodes.json(TestNodes.expect(202, api("POST", "/api/v1/lorawan/devices/" + d.devEui()
        + "/queue", writeKey, new JsonObject().put("fPort", 5).put("data", "beef01").put("confirmed", false))));
    try (TestGateway g = new TestGateway(GW1, udpA)) {
      g.pull(); // GW1's downlink path is node A
      assertEquals(4, g.receive(5_000).identifier(), "PULL_ACK from A");
      g.useServer(udpB); // its uplinks reach node B only
      g.push(uplink(d, 1, "01"), -80, 3);
      TestGateway.Received resp = g.pullResp(15_000);
      assertNotNull(resp, "PULL_RESP");
      assertEquals(udpA, resp.fromPort(), "sent by node A, which holds the gateway, though B handled the uplink");
      DataFrame down = (DataFrame) PhyPayload.decode(resp.txData());
      assertTrue(Mic.matchesData(down, d.keys().nwkSKey(), 0), "MIC with the device's key and FCntDown 0");
      assertEquals(OptionalInt.of(5), down.fPort());
      assertEquals("beef01", HexFormat.of().formatHex(FrmCipher.decrypt(down, d.keys(), 0).toArray()));
      g.useServer(udpA); // a forwarder answers on its downstream socket, where PULL_DATA goes
      g.txAck(resp.token(), "NONE");
    }
    Waits.until("completed by the TX_ACK through node A", 10_000, () -> "completed".equals(TestNodes.json(
        api("GET", "/api/v1/commands/" + queued.getString("id"), writeKey, null)).getString("status")));
  }

  @Test
  void aCayenneLppDevicesReadingsLandInDecodedDataAndAreReadBackThroughTheApi() throws Exception {
    Abp d = abpDevice("cayenne-lpp");
    try (TestGateway g = new TestGateway(GW3, udpB)) {
      g.push(uplink(d, 1, "0167011a02687f"), -75, 6); // channel 1 temperature 28.2 °C, channel 2 humidity 63.5 %
    }
    String path = "/api/v1/devices/" + d.id() + "/telemetry/latest";
    Waits.until("both readings in decoded_data", 30_000,
        () -> TestNodes.json(api("GET", path, writeKey, null)).getJsonArray("values").size() == 2);
    JsonObject latest = TestNodes.json(TestNodes.expect(200, api("GET", path, writeKey, null)));
    Map<String, Double> values = new java.util.TreeMap<>();
    for (Object v : latest.getJsonArray("values")) {
      values.put(((JsonObject) v).getString("label"), ((JsonObject) v).getDouble("v"));
    }
    assertEquals(28.2, values.get("sensor-1.temperature"), 1e-9, values.toString());
    assertEquals(63.5, values.get("sensor-2.humidity"), 1e-9, values.toString());
  }
}
