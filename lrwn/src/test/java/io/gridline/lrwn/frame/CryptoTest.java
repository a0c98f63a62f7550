package io.gridline.lrwn.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CryptoTest {
  private static final SessionKeys KEYS = new SessionKeys(AesKey.fromHex("2b7e151628aed2a6abf7158809cf4f3c"),
      AesKey.fromHex("000102030405060708090a0b0c0d0e0f"));
  private static final DevAddr ADDR = DevAddr.fromHex("26011bda");

  private static DataFrame clearDownlink(int fPort, Bytes payload, long fCnt32) {
    return new DataFrame(MType.CONFIRMED_DATA_DOWN,
        new Fhdr(ADDR, FCtrl.downlink(false, true, false), FCnt.onAir(fCnt32), Bytes.EMPTY), OptionalInt.of(fPort),
        payload, 0);
  }

  @Test
  void aPayloadLongerThanOneBlockEncryptsAndDecryptsBack() {
    Bytes clear = Bytes.of(new byte[40]);
    long fCnt32 = 0x0001_0005L;
    DataFrame sealed = Mic.signData(FrmCipher.encrypt(clearDownlink(7, clear, fCnt32), KEYS, fCnt32),
        KEYS.nwkSKey(), fCnt32);

    assertNotEquals(clear, sealed.frmPayload());
    assertEquals(clear, FrmCipher.decrypt(sealed, KEYS, fCnt32));
    assertTrue(Mic.matchesData(sealed, KEYS.nwkSKey(), fCnt32));
  }

  @Test
  void fport0PayloadsUseTheNwkSKeyAndOtherPortsTheAppSKey() {
    Bytes clear = Bytes.fromHex("0206");
    DataFrame port0 = FrmCipher.encrypt(clearDownlink(0, clear, 3), KEYS, 3);
    assertEquals(FrmCipher.apply(KEYS.nwkSKey(), Direction.DOWNLINK, ADDR, 3, clear), port0.frmPayload());
    DataFrame port1 = FrmCipher.encrypt(clearDownlink(1, clear, 3), KEYS, 3);
    assertEquals(FrmCipher.apply(KEYS.appSKey(), Direction.DOWNLINK, ADDR, 3, clear), port1.frmPayload());
  }

  @Test
  void theMicCoversTheHigh16BitsOfTheCounterAndTheDirection() {
    long fCnt32 = 0x0002_0009L;
    DataFrame signed = Mic.signData(clearDownlink(1, Bytes.fromHex("01"), fCnt32), KEYS.nwkSKey(), fCnt32);

    assertTrue(Mic.matchesData(signed, KEYS.nwkSKey(), fCnt32));
    assertFalse(Mic.matchesData(signed, KEYS.nwkSKey(), 0x0001_0009L));
    DataFrame sameBytesUp = new DataFrame(MType.CONFIRMED_DATA_UP,
        new Fhdr(ADDR, FCtrl.uplink(false, false, true, false), 9, Bytes.EMPTY), signed.fPort(), signed.frmPayload(),
        signed.mic());
    assertFalse(Mic.matchesData(sameBytesUp, KEYS.nwkSKey(), fCnt32));
  }

  @Test
  void aCounterThatDoesNotEndInTheFramesSixteenBitsIsACallersBug() {
    DataFrame frame = clearDownlink(1, Bytes.fromHex("01"), 5);
    assertThrows(IllegalArgumentException.class, () -> Mic.data(frame, KEYS.nwkSKey(), 6));
    assertThrows(IllegalArgumentException.class, () -> FrmCipher.decrypt(frame, KEYS, 0x1_0000_0005L));
  }

  @Test
  void aKeyNeverShowsInItsStringForm() {
    assertEquals("AesKey[hidden]", KEYS.toString().replaceAll(".*nwkSKey=([^,]*),.*", "$1"));
    assertFalse(KEYS.toString().contains("2b7e"));
  }
}
