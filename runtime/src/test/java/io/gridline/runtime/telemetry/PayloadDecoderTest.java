package io.gridline.runtime.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadDecoderTest {
  private static SensorField f(String type, String endian, double scale, int offset) {
    return new SensorField("x", offset, type, endian, SensorField.scaleOf(scale), "");
  }

  private static double v(String hex, SensorField f) {
    return PayloadDecoder.decode(HexFormat.of().parseHex(hex), List.of(f)).get(0).value();
  }

  @Test
  void readsEveryTypeInBothByteOrders() {
    assertEquals(-2, v("FFFE", f("int16", "big", 1, 0)));
    assertEquals(65534, v("FFFE", f("uint16", "big", 1, 0)));
    assertEquals(-257, v("FFFE", f("int16", "little", 1, 0)));
    assertEquals(-2, v("FFFFFFFE", f("int32", "big", 1, 0)));
    assertEquals(4294967294.0, v("FFFFFFFE", f("uint32", "big", 1, 0)));
    assertEquals(16909060, v("04030201", f("uint32", "little", 1, 0)));
    assertEquals(215, v("AA00D7", f("int16", "big", 1, 1)));
  }

  @Test
  void roundsToTheScalesDecimals() {
    assertEquals(20.2, v("00CA", f("int16", "big", 0.1, 0)));
    assertEquals(21.5, v("00D7", f("int16", "big", 0.1, 0)));
    assertEquals(-0.3, v("FFFD", f("int16", "big", 0.1, 0)));
    assertEquals(1.234, v("04D2", f("uint16", "big", 0.001, 0)));
    assertEquals(12345.6, v("0001E240", f("uint32", "big", 0.1, 0)));
    assertEquals(0.07, v("0007", f("uint16", "big", 0.01, 0)));
    assertEquals(1000, v("0064", f("uint16", "big", 10, 0)));
  }

  @Test
  void readsFloat32WithoutBinaryNoise() {
    // 21.5f = 0x41AC0000; 0.1f = 0x3DCCCCCD
    assertEquals(21.5, v("41AC0000", f("float32", "big", 1, 0)));
    assertEquals(21.5, v("0000AC41", f("float32", "little", 1, 0)));
    assertEquals(0.1, v("3DCCCCCD", f("float32", "big", 1, 0)));
    assertEquals(2.15, v("41AC0000", f("float32", "big", 0.1, 0)));
    assertEquals(0, PayloadDecoder.decode(HexFormat.of().parseHex("7FC00000"), List.of(f("float32", "big", 1, 0))).size(),
        "NaN is no reading");
  }

  @Test
  void aFieldPastTheEndIsAShortPayload() {
    Rejection r = assertThrows(Rejection.class,
        () -> PayloadDecoder.decode(HexFormat.of().parseHex("00D702"), List.of(f("int16", "big", 1, 0), f("uint16", "big", 1, 2))));
    assertEquals(Reasons.SHORT_PAYLOAD, r.reason());
  }
}
