package io.gridline.lrwn.semtechudp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.Eui64;
import io.gridline.lrwn.semtechudp.SemtechPacketException.Reason;
import io.gridline.lrwn.region.DataRate;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SemtechPacketTest {
  private static final Eui64 GATEWAY = Eui64.fromHex("aa555a0000000101");
  private static final String HEADER_GATEWAY = "aa555a0000000101";

  /** version, token, identifier, gateway EUI (when given) and the JSON text. */
  static byte[] datagram(int version, int token, int identifier, String gatewayHex, String json) {
    byte[] head = HexFormat.of().parseHex(String.format("%02x%04x%02x", version, token, identifier)
        + (gatewayHex == null ? "" : gatewayHex));
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[head.length + body.length];
    System.arraycopy(head, 0, b, 0, head.length);
    System.arraycopy(body, 0, b, head.length, body.length);
    return b;
  }

  @Test
  void pushDataWithTwoRxpkKeepsTheGoodOneAndSplitsOffTheCrcFailedOne() throws Exception {
    String json = """
        {"rxpk":[
          {"time":"2013-03-31T16:21:17.528002Z","tmst":3512348611,"chan":2,"rfch":0,"freq":868.1,"stat":1,
           "modu":"LORA","datr":"SF7BW125","codr":"4/5","rssi":-35,"lsnr":5.1,"size":17,
           "data":"QPF9vkkAAgABlUN4disR/w0="},
          {"tmst":3512348514,"chan":5,"rfch":1,"freq":867.5,"stat":-1,"modu":"LORA","datr":"SF12BW125",
           "codr":"4/5","rssi":-120,"lsnr":-17.5,"size":4,"data":"AAECAw=="}
        ]}""";

    PushData push = assertInstanceOf(PushData.class,
        SemtechPacket.decode(datagram(2, 0xBEEF, 0x00, HEADER_GATEWAY, json)));

    assertEquals(2, push.version());
    assertEquals(0xBEEF, push.token());
    assertEquals(GATEWAY, push.gateway());
    assertEquals(1, push.rxpk().size());
    RxPacket good = push.rxpk().get(0);
    assertEquals(3512348611L, good.tmst());
    assertEquals(Optional.of(Instant.parse("2013-03-31T16:21:17.528002Z")), good.time());
    assertEquals(868_100_000L, good.frequencyHz());
    assertEquals(2, good.chan());
    assertEquals(CrcStatus.OK, good.crc());
    assertEquals(DataRate.lora(7, 125), good.dataRate());
    assertEquals(Optional.of("4/5"), good.codr());
    assertEquals(-35, good.rssi());
    assertEquals(OptionalDouble.of(5.1), good.lsnr());
    assertEquals("40f17dbe4900020001954378762b11ff0d", good.data().hex());
    assertEquals(1, push.crcFailed().size());
    assertEquals(867_500_000L, push.crcFailed().get(0).frequencyHz());
    assertEquals(Optional.empty(), push.stat());
    assertArrayEquals(HexFormat.of().parseHex("02beef01"), push.ack().encode());
  }

  @Test
  void pushDataWithOnlyAStatReportCarriesTheGatewayStatus() throws Exception {
    String json = """
        {"stat":{"time":"2014-01-12 08:59:28 GMT","lati":46.24000,"long":3.25230,"alti":145,"rxnb":2,"rxok":2,
         "rxfw":2,"ackr":100.0,"dwnb":2,"txnb":2}}""";

    PushData push = (PushData) SemtechPacket.decode(datagram(1, 7, 0x00, HEADER_GATEWAY, json));

    assertTrue(push.rxpk().isEmpty());
    GatewayStats stat = push.stat().orElseThrow();
    assertEquals(Optional.of("2014-01-12 08:59:28 GMT"), stat.time());
    assertEquals(OptionalDouble.of(46.24), stat.latitude());
    assertEquals(OptionalLong.of(145), stat.altitude());
    assertEquals(OptionalDouble.of(100.0), stat.ackr());
    assertEquals(OptionalLong.of(2), stat.txnb());
    assertArrayEquals(HexFormat.of().parseHex("01000701"), push.ack().encode());
  }

  @Test
  void multiAntennaForwardersGiveTheSignalPerAntennaInRsig() throws Exception {
    String json = """
        {"rxpk":[{"tmst":100,"tmms":1234567890123,"chan":0,"rfch":0,"freq":902.3,"stat":1,"modu":"LORA",
          "datr":"SF10BW125","codr":"4/5","size":1,"data":"AA==",
          "rsig":[{"ant":0,"chan":0,"rssic":-90,"lsnr":7.5},{"ant":1,"chan":8,"rssic":-97}]}]}""";

    RxPacket packet = ((PushData) SemtechPacket.decode(datagram(2, 1, 0x00, HEADER_GATEWAY, json))).rxpk().get(0);

    assertEquals(-90, packet.rssi());
    assertEquals(OptionalDouble.of(7.5), packet.lsnr());
    assertEquals(OptionalLong.of(1234567890123L), packet.tmms());
    assertEquals(List.of(new RxPacket.Antenna(0, 0, -90, OptionalDouble.of(7.5)),
        new RxPacket.Antenna(1, 8, -97, OptionalDouble.empty())), packet.antennas());
  }

  @Test
  void anFskPacketHasItsBitRateAsANumberDatr() throws Exception {
    String json = """
        {"rxpk":[{"tmst":3512348514,"chan":9,"rfch":1,"freq":868.8,"stat":1,"modu":"FSK","datr":50000,
          "rssi":-75,"size":16,"data":"VEVTVF9QQUNLRVRfMTIzNA=="}]}""";

    RxPacket packet = ((PushData) SemtechPacket.decode(datagram(1, 1, 0x00, HEADER_GATEWAY, json))).rxpk().get(0);

    assertEquals(DataRate.fsk(50_000), packet.dataRate());
    assertEquals(OptionalDouble.empty(), packet.lsnr());
    assertEquals("TEST_PACKET_1234", new String(packet.data().toArray(), StandardCharsets.US_ASCII));
  }

  @Test
  void pullDataNamesTheGatewayAndIsAnsweredWithItsToken() throws Exception {
    PullData pull = assertInstanceOf(PullData.class,
        SemtechPacket.decode(datagram(2, 0x1234, 0x02, HEADER_GATEWAY, null)));

    assertEquals(GATEWAY, pull.gateway());
    assertArrayEquals(HexFormat.of().parseHex("02123404"), pull.ack().encode());
    assertEquals(new PullAck(2, 0x1234), SemtechPacket.decode(pull.ack().encode()));
  }

  @Test
  void txAckWithAnErrorSaysWhyTheDownlinkWasNotScheduled() throws Exception {
    TxAck late = assertInstanceOf(TxAck.class, SemtechPacket.decode(
        datagram(2, 0x0102, 0x05, HEADER_GATEWAY, "{\"txpk_ack\":{\"error\":\"TOO_LATE\"}}")));
    assertEquals(TxAckError.TOO_LATE, late.error());
    assertFalse(late.scheduled());
    assertEquals(0x0102, late.token());

    TxAck bare = (TxAck) SemtechPacket.decode(datagram(2, 9, 0x05, HEADER_GATEWAY, null));
    assertTrue(bare.scheduled());

    // SX1302 forwarders end the JSON with a NUL and may add a warning to a scheduled packet
    byte[] withNul = datagram(2, 9, 0x05, HEADER_GATEWAY, "{\"txpk_ack\":{\"warn\":\"TX_POWER\",\"value\":20}}\0");
    TxAck warned = (TxAck) SemtechPacket.decode(withNul);
    assertTrue(warned.scheduled());
    assertEquals(Optional.of(TxAckError.TX_POWER), warned.warning());

    for (TxAckError error : TxAckError.values()) {
      TxAck ack = new TxAck(2, 5, GATEWAY, error, Optional.empty());
      assertEquals(ack, SemtechPacket.decode(ack.encode()));
    }
  }

  @Test
  void pullRespCarriesAClassADownlinkTheWayForwardersReadIt() throws Exception {
    PullResp resp = new PullResp(2, 0x4242, TxPacket.classA(3_512_348_611L + 1_000_000, 869_525_000L, 14,
        DataRate.lora(12, 125), Bytes.fromHex("60f17dbe4920030001")));

    byte[] wire = resp.encode();
    assertEquals("02424203", HexFormat.of().formatHex(wire, 0, 4));
    JsonObject txpk = new JsonObject(new String(wire, 4, wire.length - 4, StandardCharsets.UTF_8))
        .getJsonObject("txpk");
    assertEquals(3_513_348_611L, txpk.getLong("tmst"));
    assertEquals(869.525, txpk.getDouble("freq"));
    assertEquals("LORA", txpk.getString("modu"));
    assertEquals("SF12BW125", txpk.getString("datr"));
    assertEquals("4/5", txpk.getString("codr"));
    assertEquals(true, txpk.getBoolean("ipol"));
    assertEquals(14, txpk.getInteger("powe"));
    assertEquals(9, txpk.getInteger("size"));
    assertEquals("YPF9vkkgAwAB", txpk.getString("data"));
    assertEquals(resp, SemtechPacket.decode(wire));
  }

  @Test
  void everyPacketTypeSurvivesEncodeThenDecode() throws Exception {
    RxPacket ok = new RxPacket(0xFFFF_FFFFL, Optional.of(Instant.parse("2024-05-01T10:00:00.000001Z")),
        OptionalLong.of(1_400_000_000_000L), 923_300_000L, 3, 1, CrcStatus.OK, DataRate.lora(10, 125),
        Optional.of("4/5"), -110, OptionalDouble.of(-12.25), List.of(), Bytes.fromHex("0102"));
    RxPacket noCrc = new RxPacket(1, Optional.empty(), OptionalLong.empty(), 868_300_000L, 0, 0, CrcStatus.NO_CRC,
        DataRate.fsk(50_000), Optional.empty(), -80, OptionalDouble.empty(), List.of(), Bytes.EMPTY);
    RxPacket failed = new RxPacket(2, Optional.empty(), OptionalLong.empty(), 868_500_000L, 0, 0, CrcStatus.FAIL,
        DataRate.lora(12, 125), Optional.of("4/5"), -130, OptionalDouble.of(-20), List.of(), Bytes.fromHex("ff"));
    GatewayStats stats = new GatewayStats(Optional.of("2024-05-01 10:00:00 UTC"), OptionalDouble.of(-33.5),
        OptionalDouble.of(151.25), OptionalLong.of(-3), OptionalLong.of(10), OptionalLong.of(9), OptionalLong.of(9),
        OptionalDouble.of(95.5), OptionalLong.of(1), OptionalLong.of(1), OptionalDouble.of(41.5));
    TxPacket fsk = new TxPacket(true, OptionalLong.empty(), OptionalLong.of(5), 869_525_000L, 1, 27,
        DataRate.fsk(50_000), Optional.empty(), OptionalInt.of(25_000), false, OptionalInt.of(8), Bytes.fromHex("00"),
        true);

    for (SemtechPacket packet : List.of(
        new PushData(2, 1, GATEWAY, List.of(ok, noCrc), List.of(failed), Optional.of(stats)),
        new PushData(1, 0, GATEWAY, List.of(), List.of(), Optional.empty()),
        new PushAck(1, 0xFFFF), new PullData(1, 3, GATEWAY), new PullAck(2, 4),
        new PullResp(2, 5, fsk), new TxAck(2, 6, GATEWAY, TxAckError.COLLISION_BEACON, Optional.empty()))) {
      byte[] wire = packet.encode();
      assertEquals(packet, SemtechPacket.decode(wire), packet.getClass().getSimpleName());
      assertArrayEquals(wire, SemtechPacket.decode(wire).encode());
    }
  }

  @Test
  void malformedDatagramsAreRefusedWithTheirReason() throws Exception {
    // the base of the rxpk cases below is valid: each case breaks exactly one thing
    assertEquals(1, ((PushData) SemtechPacket.decode(rxpk("\"freq\":868.1"))).rxpk().size());
    assertReason(Reason.TOO_SHORT, new byte[] {2, 0, 0});
    assertReason(Reason.TOO_SHORT, datagram(2, 1, 0x00, "aa555a00", "{}"));
    assertReason(Reason.TOO_SHORT, datagram(2, 1, 0x02, "aa555a000000", null));
    assertReason(Reason.UNKNOWN_VERSION, datagram(3, 1, 0x00, HEADER_GATEWAY, "{}"));
    assertReason(Reason.UNKNOWN_IDENTIFIER, datagram(2, 1, 0x06, HEADER_GATEWAY, null));
    assertReason(Reason.BAD_JSON, datagram(2, 1, 0x00, HEADER_GATEWAY, null));
    assertReason(Reason.BAD_JSON, datagram(2, 1, 0x00, HEADER_GATEWAY, "{\"rxpk\":["));
    assertReason(Reason.BAD_JSON, datagram(2, 1, 0x00, HEADER_GATEWAY, "[1,2]"));
    assertReason(Reason.BAD_JSON, datagram(2, 1, 0x03, null, "not json"));
    assertReason(Reason.BAD_FIELD, datagram(2, 1, 0x00, HEADER_GATEWAY, "{\"rxpk\":{}}"));
    assertReason(Reason.BAD_FIELD, datagram(2, 1, 0x00, HEADER_GATEWAY, "{\"rxpk\":[1]}"));
    assertReason(Reason.BAD_FIELD, datagram(2, 1, 0x03, null, "{}"));
    assertReason(Reason.BAD_FIELD, rxpk("\"freq\":\"868.1\""), "rxpk[0].freq");
    assertReason(Reason.BAD_FIELD, rxpk("\"freq\":868.1,\"tmst\":-1"), "rxpk[0].tmst");
    assertReason(Reason.BAD_FIELD, rxpk("\"freq\":868.1,\"tmst\":4294967296"), "rxpk[0].tmst");
    assertReason(Reason.BAD_FIELD, rxpk("\"freq\":868.1,\"tmst\":1.5"), "rxpk[0].tmst");
    assertReason(Reason.BAD_FIELD, rxpk("\"freq\":868.1,\"stat\":2"), "rxpk[0].stat");
    assertReason(Reason.BAD_FIELD, rxpk("\"freq\":868.1,\"data\":\"%%%\""), "rxpk[0].data");
    assertReason(Reason.BAD_FIELD, rxpk("\"freq\":868.1,\"size\":3"), "rxpk[0].size");
    assertReason(Reason.BAD_FIELD, rxpk("\"freq\":868.1,\"datr\":\"SF99BW125\""), "rxpk[0].datr");
    assertReason(Reason.BAD_FIELD, rxpk("\"freq\":868.1,\"time\":\"yesterday\""), "rxpk[0].time");
    assertReason(Reason.UNSUPPORTED_MODULATION, rxpk("\"freq\":868.1,\"modu\":\"LR-FHSS\""));
    assertReason(Reason.BAD_FIELD, datagram(2, 1, 0x05, HEADER_GATEWAY, "{\"txpk_ack\":{\"error\":\"MAYBE\"}}"));
  }

  /** A valid rxpk whose fields {@code override} replaces (later keys win in the JSON object). */
  private static byte[] rxpk(String override) {
    String base = "\"tmst\":1,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"rssi\":-50,\"size\":2,"
        + "\"data\":\"AAE=\",";
    return datagram(2, 1, 0x00, HEADER_GATEWAY, "{\"rxpk\":[{" + base + override + "}]}");
  }

  private static void assertReason(Reason reason, byte[] datagram) {
    assertReason(reason, datagram, "");
  }

  private static void assertReason(Reason reason, byte[] datagram, String field) {
    SemtechPacketException e = assertThrows(SemtechPacketException.class, () -> SemtechPacket.decode(datagram));
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }
}
