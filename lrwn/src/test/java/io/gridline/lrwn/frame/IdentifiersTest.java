package io.gridline.lrwn.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentifiersTest {
  @Test
  void euisAreLowerCaseHexMostSignificantFirstAndLittleEndianInFrames() {
    Eui64 eui = Eui64.fromHex("70B3D57ED0000001");
    assertEquals("70b3d57ed0000001", eui.hex());
    byte[] le = new byte[8];
    eui.writeLittleEndian(le, 0);
    assertEquals("010000d07ed5b370", HexFormat.of().formatHex(le));
    assertEquals(eui, Eui64.fromLittleEndian(le, 0));
    byte[] be = new byte[8];
    eui.writeBigEndian(be, 0);
    assertEquals("70b3d57ed0000001", HexFormat.of().formatHex(be));
    assertEquals(eui, Eui64.fromBigEndian(be, 0));
    assertThrows(IllegalArgumentException.class, () -> Eui64.fromHex("70b3"));
  }

  @Test
  void devAddrIsWrittenMostSignificantFirstAndSentLittleEndian() {
    DevAddr addr = DevAddr.fromHex("49BE7DF1");
    byte[] wire = new byte[4];
    addr.writeLittleEndian(wire, 0);
    assertArrayEquals(HexFormat.of().parseHex("f17dbe49"), wire);
    assertEquals("49be7df1", addr.toString());
  }

  /** NetID → DevAddr prefix per LoRaWAN Backend Interfaces; the cases are ChirpStack's lrwn netid.rs tests. */
  @Test
  void eachNetIdTypeGivesItsDevAddrPrefix() {
    assertPrefix("00006d", 0, 0x2d, "5a000000/7");
    assertPrefix("20006d", 1, 0x2d, "ad000000/8");
    assertPrefix("40036d", 2, 0x16d, "d6d00000/12");
    assertPrefix("76db6d", 3, 0x16db6d, "e6da0000/15");
    assertPrefix("96db6d", 4, 0x16db6d, "f5b68000/17");
    assertPrefix("b6db6d", 5, 0x16db6d, "fb6da000/19");
    assertPrefix("d6db6d", 6, 0x16db6d, "fd6db400/22");
    assertPrefix("f6db6d", 7, 0x16db6d, "fe6db680/25");
  }

  @Test
  void aFreshDevAddrLiesInsideItsNetworksPrefix() {
    Random random = new Random(7);
    for (String netId : new String[] {"000000", "00003f", "000013", "600123", "f6db6d"}) {
      DevAddrPrefix prefix = NetId.fromHex(netId).devAddrPrefix();
      for (int i = 0; i < 100; i++) {
        assertTrue(prefix.contains(DevAddr.random(NetId.fromHex(netId), random)), netId);
      }
    }
    assertEquals(DevAddr.fromHex("01ffffff"), NetId.fromHex("000000").devAddrPrefix().apply(-1));
    assertEquals(DevAddr.fromHex("7fffffff"), NetId.fromHex("00003f").devAddrPrefix().apply(-1));
  }

  private static void assertPrefix(String netIdHex, int type, int id, String prefix) {
    NetId netId = NetId.fromHex(netIdHex);
    assertEquals(type, netId.type(), netIdHex);
    assertEquals(id, netId.id(), netIdHex);
    assertEquals(prefix, netId.devAddrPrefix().toString(), netIdHex);
    assertEquals(netIdHex, netId.hex());
  }
}
