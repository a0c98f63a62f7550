package io.gridline.lrwn.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.maccommand.MacCommand;
import io.gridline.lrwn.maccommand.MacCommands;
import io.gridline.lrwn.region.Eu868;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames built by lora-packet (an independent implementation, {@link LoraPacketNode#VERSION}) are parsed, MIC-checked
 * and decrypted here, and frames built here are parsed, decrypted and MIC-checked by lora-packet.
 */
class LoraPacketInteropTest {
  private static final SessionKeys KEYS = new SessionKeys(AesKey.fromHex("44024241ed4ce9a68c6a8bc055233fd3"),
      AesKey.fromHex("ec925802ae430ca77fd3dd73cb2cc588"));
  private static final DevAddr ADDR = DevAddr.fromHex("26011bda");
  private static LoraPacketNode loraPacket;

  /** Per test rather than once, so that without node each test shows as skipped with the reason. */
  @BeforeEach
  void install() {
    loraPacket = LoraPacketNode.installed();
  }

  // ---- lora-packet builds, Java reads ---------------------------------------------------------------------------

  @Test
  void anUnconfirmedUplinkFromLoraPacketParsesPassesItsMicAndDecrypts() throws Exception {
    String payload = "000102030405060708090a0b0c0d0e0f10111213"; // 20 octets: two AES blocks
    DataFrame frame = fromLoraPacket(uplink("Unconfirmed Data Up", 7).put("fCtrl", new JsonObject().put("ADR", true))
        .put("fPort", 1).put("payload", payload));

    assertEquals(MType.UNCONFIRMED_DATA_UP, frame.mType());
    assertEquals(ADDR, frame.fhdr().devAddr());
    assertEquals(FCtrl.uplink(true, false, false, false), frame.fhdr().fCtrl());
    assertEquals(7, frame.fhdr().fCnt());
    assertEquals(OptionalInt.of(1), frame.fPort());
    assertTrue(Mic.matchesData(frame, KEYS.nwkSKey(), 7));
    assertEquals(payload, FrmCipher.decrypt(frame, KEYS, 7).hex());
  }

  @Test
  void aConfirmedUplinkFromLoraPacketCarriesItsFoptsMacCommands() throws Exception {
    DataFrame frame = fromLoraPacket(uplink("Confirmed Data Up", 300)
        .put("fCtrl", new JsonObject().put("ACK", true)).put("fOpts", "02" + "0307").put("fPort", 5)
        .put("payload", "cafe"));

    assertEquals(MType.CONFIRMED_DATA_UP, frame.mType());
    assertTrue(frame.fhdr().fCtrl().ack());
    assertEquals(List.of(new MacCommand.LinkCheckReq(), new MacCommand.LinkAdrAns(true, true, true)),
        MacCommands.decode(Direction.UPLINK, frame.fhdr().fOpts()));
    assertTrue(Mic.matchesData(frame, KEYS.nwkSKey(), 300));
    assertEquals("cafe", FrmCipher.decrypt(frame, KEYS, 300).hex());
  }

  @Test
  void fport0MacCommandsFromLoraPacketDecryptUnderTheNwkSKey() throws Exception {
    DataFrame frame = fromLoraPacket(uplink("Unconfirmed Data Up", 12).put("fPort", 0).put("payload", "06fa05" + "02"));

    Bytes clear = FrmCipher.decrypt(frame, KEYS, 12);
    assertEquals(List.of(new MacCommand.DevStatusAns(250, 5), new MacCommand.LinkCheckReq()),
        MacCommands.decode(Direction.UPLINK, clear));
    assertEquals(FrmCipher.apply(KEYS.nwkSKey(), Direction.UPLINK, ADDR, 12, clear), frame.frmPayload());
  }

  @Test
  void aCounterPast65535FromLoraPacketIsReconstructedAndItsMicHolds() throws Exception {
    long fCnt32 = 0x0001_0002L;
    DataFrame frame = fromLoraPacket(uplink("Unconfirmed Data Up", fCnt32).put("fPort", 3).put("payload", "0a0b"));

    assertEquals(2, frame.fhdr().fCnt());
    FCnt.Accepted accepted = assertInstanceOf(FCnt.Accepted.class, FCnt.reconstruct(0xFFFE, frame.fhdr().fCnt()));
    assertEquals(fCnt32, accepted.fCnt());
    assertTrue(Mic.matchesData(frame, KEYS.nwkSKey(), fCnt32));
    assertFalse(Mic.matchesData(frame, KEYS.nwkSKey(), 2));
    assertEquals("0a0b", FrmCipher.decrypt(frame, KEYS, fCnt32).hex());
  }

  // ---- Java builds, lora-packet reads ---------------------------------------------------------------------------

  @Test
  void downlinksWithAckBuiltHereAreReadByLoraPacket() {
    long fCnt32 = 0x0002_0010L;
    Bytes clear = Bytes.fromHex("48656c6c6f2c206465766963652c207468697320697320746865206e6574776f726b"); // 33 octets
    for (MType mType : List.of(MType.UNCONFIRMED_DATA_DOWN, MType.CONFIRMED_DATA_DOWN)) {
      DataFrame frame = seal(new DataFrame(mType,
          new Fhdr(ADDR, FCtrl.downlink(true, true, true), FCnt.onAir(fCnt32), Bytes.EMPTY), OptionalInt.of(2), clear,
          0), fCnt32);

      JsonObject read = readByLoraPacket(frame, fCnt32);

      assertEquals(mType == MType.CONFIRMED_DATA_DOWN ? "Confirmed Data Down" : "Unconfirmed Data Down",
          read.getString("mType"));
      assertEquals("down", read.getString("dir"));
      assertEquals("26011bda", read.getString("devAddr"));
      assertEquals(FCnt.onAir(fCnt32), read.getInteger("fCnt"));
      assertTrue(read.getBoolean("ack"));
      assertTrue(read.getBoolean("adr"));
      assertTrue(read.getBoolean("fPending"));
      assertEquals(2, read.getInteger("fPort"));
      assertTrue(read.getBoolean("micOk"));
      assertEquals(clear.hex(), read.getString("payload"));
    }
  }

  @Test
  void aDownlinkWithFoptsAndNoPortBuiltHereIsReadByLoraPacket() {
    Bytes fOpts = MacCommands.encode(List.of(new MacCommand.LinkCheckAns(12, 2), new MacCommand.DevStatusReq()));
    DataFrame frame = seal(new DataFrame(MType.UNCONFIRMED_DATA_DOWN,
        new Fhdr(ADDR, FCtrl.downlink(false, true, false), 9, fOpts), OptionalInt.empty(), Bytes.EMPTY, 0), 9);

    JsonObject read = readByLoraPacket(frame, 9);

    assertEquals("020c02" + "06", read.getString("fOpts"));
    assertEquals(null, read.getValue("fPort"));
    assertTrue(read.getBoolean("micOk"));
  }

  @Test
  void fport0MacCommandsBuiltHereDecryptUnderTheNwkSKeyInLoraPacket() {
    Bytes commands = MacCommands.encode(List.of(new MacCommand.LinkAdrReq(5, 1, 0x00FF, 0, 1),
        new MacCommand.RxParamSetupReq(1, 0, 869_525_000L)));
    DataFrame frame = seal(new DataFrame(MType.UNCONFIRMED_DATA_DOWN,
        new Fhdr(ADDR, FCtrl.NONE, 40, Bytes.EMPTY), OptionalInt.of(0), commands, 0), 40);

    JsonObject read = readByLoraPacket(frame, 40);

    assertEquals(0, read.getInteger("fPort"));
    assertTrue(read.getBoolean("micOk"));
    assertEquals(commands.hex(), read.getString("payload"));
  }

  @Test
  void anOtaaHandshakeAgreesBothWays() throws Exception {
    AesKey appKey = AesKey.fromHex("2b7e151628aed2a6abf7158809cf4f3c");
    JsonObject built = loraPacket.call(new JsonObject().put("op", "buildJoinRequest")
        .put("joinEui", "70b3d57ed0000001").put("devEui", "0004a30b001c0530").put("devNonce", "abcd")
        .put("appKey", appKey.hex()));

    // the JoinRequest lora-packet built passes its MIC here
    JoinRequest request = assertInstanceOf(JoinRequest.class, PhyPayload.decode(hex(built.getString("phy"))));
    assertEquals(Eui64.fromHex("70b3d57ed0000001"), request.joinEui());
    assertEquals(Eui64.fromHex("0004a30b001c0530"), request.devEui());
    assertEquals(0xABCD, request.devNonce());
    assertTrue(Mic.matchesJoinRequest(request, appKey));

    // the JoinAccept built here is decrypted and MIC-checked by lora-packet
    NetId netId = NetId.fromHex("000013");
    DevAddr devAddr = DevAddr.random(netId, new Random(1));
    JoinAccept accept = Mic.signJoinAccept(new JoinAccept(0x00C0FE, netId, devAddr, new DlSettings(1, 0), 1,
        Eu868.INSTANCE.cfList(), 0), appKey);
    JsonObject read = loraPacket.call(new JsonObject().put("op", "readJoinAccept")
        .put("phy", HexFormat.of().formatHex(JoinAcceptCipher.encrypt(accept, appKey).encode()))
        .put("appKey", appKey.hex()));
    assertEquals("Join Accept", read.getString("mType"));
    assertTrue(read.getBoolean("micOk"));
    assertEquals("00c0fe", read.getString("appNonce"));
    assertEquals("000013", read.getString("netId"));
    assertEquals(devAddr.hex(), read.getString("devAddr"));
    assertEquals(1, read.getInteger("rx1DrOffset"));
    assertEquals(0, read.getInteger("rx2DataRate"));
    assertEquals(1, read.getInteger("rxDelay"));
    assertEquals(Eu868.INSTANCE.cfList().orElseThrow().encode().hex(), read.getString("cfList"));

    // both derive the same session keys from the nonces
    SessionKeys keys = KeyDerivation.derive(appKey, accept.joinNonce(), netId, request.devNonce());
    JsonObject theirs = loraPacket.call(new JsonObject().put("op", "sessionKeys").put("appKey", appKey.hex())
        .put("netId", netId.hex()).put("joinNonce", "00c0fe").put("devNonce", "abcd"));
    assertEquals(keys.nwkSKey().hex(), theirs.getString("nwkSKey"));
    assertEquals(keys.appSKey().hex(), theirs.getString("appSKey"));
  }

  private static JsonObject uplink(String mType, long fCnt32) {
    return new JsonObject().put("op", "buildData").put("mType", mType).put("devAddr", ADDR.hex())
        .put("fCnt32", fCnt32).put("fCtrl", new JsonObject()).put("nwkSKey", KEYS.nwkSKey().hex())
        .put("appSKey", KEYS.appSKey().hex());
  }

  private static DataFrame fromLoraPacket(JsonObject request) throws FrameException {
    return assertInstanceOf(DataFrame.class, PhyPayload.decode(hex(loraPacket.call(request).getString("phy"))));
  }

  private static DataFrame seal(DataFrame clear, long fCnt32) {
    return Mic.signData(FrmCipher.encrypt(clear, KEYS, fCnt32), KEYS.nwkSKey(), fCnt32);
  }

  private static JsonObject readByLoraPacket(DataFrame frame, long fCnt32) {
    return loraPacket.call(new JsonObject().put("op", "readData").put("phy", HexFormat.of().formatHex(frame.encode()))
        .put("fCnt32", fCnt32).put("nwkSKey", KEYS.nwkSKey().hex()).put("appSKey", KEYS.appSKey().hex()));
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
