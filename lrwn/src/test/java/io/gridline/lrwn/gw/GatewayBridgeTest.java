package io.gridline.lrwn.gw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.gw.GatewayBridgeException.Reason;
import io.gridline.lrwn.region.DataRate;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The gateway bridge's JSON (proto3 JSON of ChirpStack v4's gw.proto) as its documentation shows it. */
class GatewayBridgeTest {
  /** An event/up payload as the ChirpStack Gateway Bridge's Semtech UDP backend publishes it. */
  private static final String UP = """
      {"phyPayload":"QAEBAQGAAQABWG1wUcs=","txInfo":{"frequency":868100000,"modulation":{"lora":{
      "bandwidth":125000,"spreadingFactor":7,"codeRate":"CR_4_5"}}},"rxInfo":{"gatewayId":"0016C001F153A14C",
      "uplinkId":4217106255,"rssi":-36,"snr":10.5,"channel":2,"rfChain":1,"location":{},"context":"EFwMtA==",
      "metadata":{"region_config_id":"eu868"},"crcStatus":"CRC_OK"}}""";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsAnUplinkAndTheCounterItsContextCarries() throws Exception {
    BridgeUplink up = BridgeUplink.fromJson(utf8(UP));
    assertEquals("0016c001f153a14c", up.gatewayId());
    assertEquals(4217106255L, up.uplinkId());
    assertEquals(868_100_000L, up.frequencyHz());
    assertEquals(DataRate.lora(7, 125), up.dataRate());
    assertEquals(-36, up.rssi());
    assertEquals(10.5, up.snr());
    assertEquals(2, up.channel());
    assertFalse(up.crcFailed());
    assertEquals(Bytes.of(Base64.getDecoder().decode("QAEBAQGAAQABWG1wUcs=")), up.phyPayload());
    assertEquals(0x105C0CB4L, up.tmst().getAsLong());
  }

  @Test
  void fieldsAtTheirDefaultMayBeAbsent() throws Exception {
    String minimal = """
        {"phyPayload":"QAEBAQGAAQABWG1wUcs=","txInfo":{"frequency":"868300000","modulation":{"lora":{
        "bandwidth":125000,"spreadingFactor":12}}},"rxInfo":{"gatewayId":"0016c001f153a14c"}}""";
    BridgeUplink up = BridgeUplink.fromJson(utf8(minimal));
    assertEquals(868_300_000L, up.frequencyHz());
    assertEquals(0, up.rssi());
    assertEquals(0.0, up.snr());
    assertEquals("NO_CRC", up.crcStatus());
    assertTrue(up.tmst().isEmpty(), "no context, no counter");
  }

  @Test
  void refusesWhatIsNotAnUplinkWithAReason() {
    assertEquals(Reason.BAD_JSON, assertThrows(GatewayBridgeException.class,
        () -> BridgeUplink.fromJson(utf8("[1,2]"))).reason());
    assertEquals(Reason.BAD_JSON, assertThrows(GatewayBridgeException.class,
        () -> BridgeUplink.fromJson(new byte[] {(byte) 0xff, 0})).reason());
    GatewayBridgeException noGateway = assertThrows(GatewayBridgeException.class,
        () -> BridgeUplink.fromJson(utf8(UP.replace("0016C001F153A14C", "xyz"))));
    assertEquals("bad-field: rxInfo.gatewayId: not 16 hex digits", noGateway.getMessage());
    GatewayBridgeException rssi = assertThrows(GatewayBridgeException.class,
        () -> BridgeUplink.fromJson(utf8(UP.replace("-36", "\"loud\""))));
    assertEquals("bad-field: rxInfo.rssi: not a whole number", rssi.getMessage());
    assertEquals(Reason.BAD_FIELD, assertThrows(GatewayBridgeException.class,
        () -> BridgeUplink.fromJson(utf8(UP.replace("\"QAEBAQGAAQABWG1wUcs=\"", "\"%%\"")))).reason());
    String fsk = UP.replace("\"lora\":{", "\"fsk\":{");
    assertEquals(Reason.UNSUPPORTED_MODULATION,
        assertThrows(GatewayBridgeException.class, () -> BridgeUplink.fromJson(utf8(fsk))).reason());
    assertTrue(assertThrows(GatewayBridgeException.class,
        () -> BridgeUplink.fromJson(utf8("{\"rxInfo\":{\"gatewayId\":\"0016c001f153a14c\"}}"))).getMessage()
        .contains("phyPayload"));
  }

  @Test
  void badCrcIsReadAndMarked() throws Exception {
    assertTrue(BridgeUplink.fromJson(utf8(UP.replace("CRC_OK", "BAD_CRC"))).crcFailed());
  }

  @Test
  void writesADownlinkFrameEchoingTheUplinkContext() {
    BridgeDownlink down = new BridgeDownlink("0016c001f153a14c", 123456, Bytes.fromHex("60010101010000000001"),
        869_525_000L, 27, DataRate.lora(12, 125), 2_000_000, Bytes.of(Base64.getDecoder().decode("EFwMtA==")));
    JsonObject j = down.toJson();
    assertEquals(new JsonObject("""
        {"downlinkId":123456,"gatewayId":"0016c001f153a14c","items":[{"phyPayload":"YAEBAQEAAAAAAQ==",
        "txInfo":{"frequency":869525000,"power":27,"modulation":{"lora":{"bandwidth":125000,"spreadingFactor":12,
        "codeRate":"CR_4_5","polarizationInversion":true}},"board":0,"antenna":0,
        "timing":{"delay":{"delay":"2s"}},"context":"EFwMtA=="}}]}"""), j);
    assertEquals("1.000500s", BridgeDownlink.duration(1_000_500));
    assertEquals("5s", BridgeDownlink.duration(5_000_000));
  }

  @Test
  void readsTxAcksByNameOrNumber() throws Exception {
    BridgeTxAck ok = BridgeTxAck.fromJson(utf8(
        "{\"gatewayId\":\"0016c001f153a14c\",\"downlinkId\":42,\"items\":[{\"status\":\"OK\"}]}"));
    assertTrue(ok.scheduled());
    assertEquals(42, ok.downlinkId());
    BridgeTxAck late = BridgeTxAck.fromJson(utf8(
        "{\"gatewayId\":\"0016c001f153a14c\",\"downlinkId\":\"43\",\"items\":[{\"status\":2},{}]}"));
    assertEquals("TOO_LATE", late.status());
    BridgeTxAck ignored = BridgeTxAck.fromJson(utf8("{\"gatewayId\":\"0016c001f153a14c\",\"downlinkId\":44}"));
    assertEquals("IGNORED", ignored.status());
    assertEquals(Reason.BAD_FIELD, assertThrows(GatewayBridgeException.class, () -> BridgeTxAck.fromJson(utf8(
        "{\"gatewayId\":\"0016c001f153a14c\",\"items\":[{\"status\":\"MAYBE\"}]}"))).reason());
  }

  @Test
  void readsStats() throws Exception {
    BridgeStats s = BridgeStats.fromJson(utf8("""
        {"gatewayId":"0016c001f153a14c","time":"2026-12-04T02:00:00Z","location":{"latitude":52.37,
        "longitude":4.89,"altitude":3},"rxPacketsReceived":12,"rxPacketsReceivedOk":10,"txPacketsEmitted":2}"""));
    assertEquals("2026-12-04T02:00:00Z", s.time().orElseThrow());
    assertEquals(52.37, s.location().orElseThrow().latitude());
    assertEquals(12, s.rxReceived());
    assertEquals(10, s.rxReceivedOk());
    assertEquals(0, s.txReceived());
    assertEquals(2, s.txEmitted());
  }
}
