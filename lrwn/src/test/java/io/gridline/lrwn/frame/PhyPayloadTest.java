package io.gridline.lrwn.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PhyPayloadTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final DevAddr ADDR = DevAddr.fromHex("26011bda");

  private static PhyPayload roundTrip(PhyPayload payload) throws FrameException {
    byte[] wire = payload.encode();
    PhyPayload decoded = PhyPayload.decode(wire);
    assertEquals(payload, decoded);
    assertArrayEquals(wire, decoded.encode());
    return decoded;
  }

  @Test
  void everyDataMessageTypeSurvivesEncodeThenDecode() throws Exception {
    for (MType mType : List.of(MType.UNCONFIRMED_DATA_UP, MType.CONFIRMED_DATA_UP)) {
      roundTrip(new DataFrame(mType, new Fhdr(ADDR, FCtrl.uplink(true, true, true, true), 0xFFFF,
          Bytes.fromHex("0203")), OptionalInt.of(1), Bytes.fromHex("0102030405"), 0x01020304));
    }
    for (MType mType : List.of(MType.UNCONFIRMED_DATA_DOWN, MType.CONFIRMED_DATA_DOWN)) {
      roundTrip(new DataFrame(mType, new Fhdr(ADDR, FCtrl.downlink(true, true, true), 7, Bytes.EMPTY),
          OptionalInt.of(224), Bytes.fromHex("ff"), -1));
    }
  }

  @Test
  void aFrameWithoutFportHasNoPayloadAndAPortWithAnEmptyPayloadIsKept() throws Exception {
    DataFrame bare = new DataFrame(MType.UNCONFIRMED_DATA_DOWN,
        new Fhdr(ADDR, FCtrl.downlink(false, true, false), 1, Bytes.fromHex("020a01")), OptionalInt.empty(),
        Bytes.EMPTY, 0);
    assertEquals(DataFrame.MIN_LENGTH + 3, bare.encode().length);
    roundTrip(bare);

    DataFrame emptyPayload = new DataFrame(MType.UNCONFIRMED_DATA_UP, new Fhdr(ADDR, FCtrl.NONE, 1, Bytes.EMPTY),
        OptionalInt.of(5), Bytes.EMPTY, 0);
    assertEquals(DataFrame.MIN_LENGTH + 1, emptyPayload.encode().length);
    roundTrip(emptyPayload);
  }

  @Test
  void fctrlBitsSixAndFourMeanDifferentFlagsUpAndDown() throws Exception {
    byte[] up = HEX.parseHex("40" + "da1b0126" + "50" + "0100" + "00000000");
    DataFrame uplink = (DataFrame) PhyPayload.decode(up);
    assertEquals(FCtrl.uplink(false, true, false, true), uplink.fhdr().fCtrl());

    byte[] down = HEX.parseHex("60" + "da1b0126" + "50" + "0100" + "00000000");
    DataFrame downlink = (DataFrame) PhyPayload.decode(down);
    // bit 6 is RFU downstream and ignored; bit 4 is FPending
    assertEquals(FCtrl.downlink(false, false, true), downlink.fhdr().fCtrl());

    assertThrows(IllegalArgumentException.class, () -> new DataFrame(MType.UNCONFIRMED_DATA_DOWN,
        new Fhdr(ADDR, FCtrl.uplink(false, true, false, false), 0, Bytes.EMPTY), OptionalInt.empty(), Bytes.EMPTY,
        0).encode());
  }

  @Test
  void joinRequestEncryptedJoinAcceptAndProprietarySurviveEncodeThenDecode() throws Exception {
    roundTrip(new JoinRequest(Eui64.fromHex("70b3d57ed0000001"), Eui64.fromHex("0004a30b001c0530"), 0xBEEF,
        0x11223344));
    roundTrip(new EncryptedJoinAccept(Bytes.fromHex("00112233445566778899aabbccddeeff")));
    roundTrip(new EncryptedJoinAccept(Bytes.of(new byte[32])));
    roundTrip(new Proprietary(Bytes.fromHex("cafe")));
  }

  @Test
  void theClearJoinAcceptWithAnEu868CflistSurvivesEncryptThenDecrypt() throws Exception {
    AesKey appKey = AesKey.fromHex("00112233445566778899aabbccddeeff");
    CfList cfList = new CfList.Frequencies(List.of(867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L,
        867_900_000L));
    JoinAccept accept = Mic.signJoinAccept(new JoinAccept(0xABCDEF, NetId.fromHex("000013"),
        DevAddr.fromHex("26011bda"), new DlSettings(1, 3), 1, Optional.of(cfList), 0), appKey);

    EncryptedJoinAccept onAir = JoinAcceptCipher.encrypt(accept, appKey);
    assertEquals(33, onAir.encode().length);
    JoinAccept read = JoinAcceptCipher.decrypt((EncryptedJoinAccept) PhyPayload.decode(onAir.encode()), appKey);

    assertEquals(accept, read);
    assertEquals(accept, JoinAccept.decodeClear(accept.encodeClear()));
  }

  @Test
  void malformedFramesAreRefusedWithTheirReason() {
    assertReason(FrameException.Reason.TOO_SHORT, "");
    assertReason(FrameException.Reason.TOO_LONG, "40" + "00".repeat(255));
    assertReason(FrameException.Reason.UNSUPPORTED_MAJOR, "41" + "00".repeat(11));
    assertReason(FrameException.Reason.UNSUPPORTED_MTYPE, "c0" + "00".repeat(11));
    assertReason(FrameException.Reason.BAD_LENGTH, "00" + "00".repeat(21));
    assertReason(FrameException.Reason.BAD_LENGTH, "20" + "00".repeat(17));
    assertReason(FrameException.Reason.TOO_SHORT, "40" + "00".repeat(10));
    // FOptsLen 5 with only 4 octets between FCnt and MIC
    assertReason(FrameException.Reason.FOPTS_OVERRUN, "40" + "da1b0126" + "05" + "0000" + "02020202" + "00000000");
    assertReason(FrameException.Reason.FOPTS_WITH_PORT_ZERO, "40" + "da1b0126" + "01" + "0000" + "02" + "00" + "00000000");
  }

  @Test
  void aClearJoinAcceptWithAnUnknownCflistTypeIsRefused() {
    byte[] clear = new byte[33];
    clear[0] = 0x20;
    clear[28] = 7;
    FrameException e = assertThrows(FrameException.class, () -> JoinAccept.decodeClear(clear));
    assertEquals(FrameException.Reason.UNKNOWN_CFLIST_TYPE, e.reason());
  }

  @Test
  void rfuBitsOfTheMhdrAreIgnored() throws Exception {
    DataFrame frame = assertInstanceOf(DataFrame.class,
        PhyPayload.decode(HEX.parseHex("5c" + "da1b0126" + "00" + "0100" + "00000000")));
    assertEquals(MType.UNCONFIRMED_DATA_UP, frame.mType());
  }

  private static void assertReason(FrameException.Reason reason, String hex) {
    FrameException e = assertThrows(FrameException.class, () -> PhyPayload.decode(HEX.parseHex(hex)));
    assertEquals(reason, e.reason(), e.getMessage());
  }
}
