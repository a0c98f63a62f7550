package io.gridline.api.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridline.runtime.device.ExternalIds;
import org.junit.jupiter.api.Test;

/** The shared canonicalizer (runtime), as the api relies on it. */
class ExternalIdsTest {

  @Test
  void macSpellings() {
    for (String s : new String[] {"aa:bb:cc:dd:ee:ff", "AA:BB:CC:DD:EE:FF", "aa-bb-cc-dd-ee-ff", "AABBCCDDEEFF",
        "aabb.ccdd.eeff", " aa:bb:cc:dd:ee:ff\t"}) {
      assertEquals("aa:bb:cc:dd:ee:ff", ExternalIds.canonical("mqtt", s), s);
    }
    for (String s : new String[] {"aa:bb:cc:dd:ee", "aa:bb-cc:dd:ee:ff", "aa:bb:cc:dd:ee:fg", "aabbccddeeff00",
        "aa::bb:cc:dd:ee:ff", "", "aab.bccd.deeff"}) {
      assertThrows(IllegalArgumentException.class, () -> ExternalIds.mac(s), s);
    }
  }

  @Test
  void devEuiSpellings() {
    for (String s : new String[] {"0102030405060a0b", "0102030405060A0B", "01-02-03-04-05-06-0A-0B",
        "01:02:03:04:05:06:0a:0b"}) {
      assertEquals("0102030405060a0b", ExternalIds.canonical("lorawan", s), s);
    }
    for (String s : new String[] {"0102030405060a0", "0102030405060a0b0c", "01-02:03-04-05-06-0A-0B", "01 02"}) {
      assertThrows(IllegalArgumentException.class, () -> ExternalIds.devEui(s), s);
    }
  }

  @Test
  void chargerIdsAreUpperCaseHex() {
    assertEquals("04AB373B", ExternalIds.canonical("charger", "04ab373b"));
    assertEquals("04AB373B", ExternalIds.canonical("charger", "0x04AB373B"));
    assertEquals("0102030405060708090A0B0C0D0E0F10", ExternalIds.chargerId("0102030405060708090a0b0c0d0e0f10"));
    for (String s : new String[] {"4AB373B", "", "0x", "04AB373G", "0102030405060708090a0b0c0d0e0f1011"}) {
      assertThrows(IllegalArgumentException.class, () -> ExternalIds.chargerId(s), s);
    }
  }

  @Test
  void instrumentIdsAreKeptAsGiven() {
    assertEquals("LAB-001", ExternalIds.canonical("instrument", "LAB-001"));
    assertEquals("a.B_c-9", ExternalIds.canonical("instrument", "a.B_c-9"));
    assertEquals("x".repeat(64), ExternalIds.instrumentId("x".repeat(64)));
    for (String s : new String[] {"", "x".repeat(65), "with space", " LAB-001", "lab/1", "läb"}) {
      assertThrows(IllegalArgumentException.class, () -> ExternalIds.instrumentId(s), s);
    }
  }

  @Test
  void unknownKindsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExternalIds.canonical("zigbee", "1"));
    assertEquals(true, e.getMessage().contains("mqtt"));
  }
}
