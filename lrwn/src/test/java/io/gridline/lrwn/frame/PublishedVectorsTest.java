package io.gridline.lrwn.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.maccommand.MacCommand;
import io.gridline.lrwn.maccommand.MacCommands;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The LoRaWAN 1.0.x vectors of shared/VECTORS.md, from lora-packet's and ChirpStack's own test suites. */
class PublishedVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void u1UnconfirmedUplinkParsesPassesItsMicAndDecryptsToTest() throws Exception {
    byte[] phy = HEX.parseHex("40F17DBE4900020001954378762B11FF0D");
    SessionKeys keys = new SessionKeys(AesKey.fromHex("44024241ed4ce9a68c6a8bc055233fd3"),
        AesKey.fromHex("ec925802ae430ca77fd3dd73cb2cc588"));

    DataFrame frame = assertInstanceOf(DataFrame.class, PhyPayload.decode(phy));

    assertEquals(MType.UNCONFIRMED_DATA_UP, frame.mType());
    assertEquals(DevAddr.fromHex("49be7df1"), frame.fhdr().devAddr());
    assertEquals(2, frame.fhdr().fCnt());
    assertEquals(OptionalInt.of(1), frame.fPort());
    assertEquals("2b11ff0d", String.format("%08x", frame.mic()));
    assertTrue(Mic.matchesData(frame, keys.nwkSKey(), 2));
    Bytes clear = FrmCipher.decrypt(frame, keys, 2);
    assertEquals("74657374", clear.hex());
    assertEquals("test", new String(clear.toArray(), StandardCharsets.US_ASCII));
    assertArrayEquals(phy, frame.encode());
  }

  @Test
  void u2ConfirmedUplinkCarriesDevStatusAnsInFoptsAndDecryptsItsPayload() throws Exception {
    byte[] phy = HEX.parseHex("80040302010300000673070ae264d4f7e117d2c0");
    SessionKeys keys = new SessionKeys(AesKey.fromHex("0102030405060708090a0b0c0d0e0f10"),
        AesKey.fromHex("100f0e0d0c0b0a090807060504030201"));

    DataFrame frame = assertInstanceOf(DataFrame.class, PhyPayload.decode(phy));

    assertEquals(MType.CONFIRMED_DATA_UP, frame.mType());
    assertEquals(DevAddr.fromHex("01020304"), frame.fhdr().devAddr());
    assertEquals(FCtrl.NONE, frame.fhdr().fCtrl());
    assertEquals(0, frame.fhdr().fCnt());
    assertEquals("067307", frame.fhdr().fOpts().hex());
    assertEquals(List.of(new MacCommand.DevStatusAns(115, 7)),
        MacCommands.decode(Direction.UPLINK, frame.fhdr().fOpts()));
    assertEquals(OptionalInt.of(10), frame.fPort());
    assertEquals("e117d2c0", String.format("%08x", frame.mic()));
    assertTrue(Mic.matchesData(frame, keys.nwkSKey(), 0));
    assertEquals("01020304", FrmCipher.decrypt(frame, keys, 0).hex());
    assertArrayEquals(phy, frame.encode());
  }

  @Test
  void j2JoinRequestMicAndJoinAcceptMicAndOnAirOctets() throws Exception {
    AesKey appKey = AesKey.fromHex("0102030405060708090a0b0c0d0e0f10");

    JoinRequest request = assertInstanceOf(JoinRequest.class,
        PhyPayload.decode(HEX.parseHex("00" + "0101010101010101" + "0202020202020202" + "0303" + "09b97b32")));
    assertEquals(Eui64.fromHex("0101010101010101"), request.joinEui());
    assertEquals(Eui64.fromHex("0202020202020202"), request.devEui());
    assertEquals(0x0303, request.devNonce());
    assertEquals("09b97b32", String.format("%08x", Mic.joinRequest(request, appKey)));
    assertTrue(Mic.matchesJoinRequest(request, appKey));

    JoinAccept accept = Mic.signJoinAccept(new JoinAccept(0x010101, NetId.fromHex("020202"),
        DevAddr.fromHex("01020304"), new DlSettings(0, 0), 0, Optional.empty(), 0), appKey);
    assertEquals("3449f212", String.format("%08x", accept.mic()));
    EncryptedJoinAccept onAir = JoinAcceptCipher.encrypt(accept, appKey);
    assertEquals("2023cf335489aae3183c0be0baa8dee5f3", HEX.formatHex(onAir.encode()));

    EncryptedJoinAccept received = assertInstanceOf(EncryptedJoinAccept.class, PhyPayload.decode(onAir.encode()));
    JoinAccept read = JoinAcceptCipher.decrypt(received, appKey);
    assertEquals(accept, read);
    assertTrue(Mic.matchesJoinAccept(read, appKey));
    assertFalse(Mic.matchesJoinAccept(read, AesKey.fromHex("0102030405060708090a0b0c0d0e0f11")));
  }

  @Test
  void k2SessionKeysDeriveFromAppKeyJoinNonceNetIdAndDevNonce() {
    SessionKeys keys = KeyDerivation.derive(AesKey.fromHex("01020304050607080102030405060708"), 65536,
        NetId.fromHex("010203"), 258);

    assertEquals("df53c35f3034ccced0ff354c70de04df", keys.nwkSKey().hex());
    assertEquals("927b9c911183cffe4cb2ff4b75545f6d", keys.appSKey().hex());
  }
}
