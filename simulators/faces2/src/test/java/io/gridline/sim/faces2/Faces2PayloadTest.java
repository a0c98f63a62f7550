package io.gridline.sim.faces2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Faces2PayloadTest {

  @Test
  void environmentMatchesTheIssueExample() {
    assertEquals("00D7024E01F4", Faces2Payload.hex(Faces2Payload.environment(21.5, 59.0, 500)));
  }

  @Test
  void negativeTemperatureIsTwosComplement() {
    assertEquals("FF9C", Faces2Payload.hex(Faces2Payload.environment(-10.0, 0, 0)).substring(0, 4));
  }

  @Test
  void powerLayoutIsVoltageCurrentThenUint32Power() {
    byte[] data = Faces2Payload.power(230.1, 4.352, 1001.4);
    assertEquals(8, data.length);
    ByteBuffer b = ByteBuffer.wrap(data);
    assertEquals(2301, Short.toUnsignedInt(b.getShort()));
    assertEquals(4352, Short.toUnsignedInt(b.getShort()));
    assertEquals(10014, Integer.toUnsignedLong(b.getInt()));
    assertEquals("08FD11000000271E", Faces2Payload.hex(data));
  }

  @Test
  void powerAboveInt32RangeStillEncodesAsUnsigned() {
    byte[] data = Faces2Payload.power(0, 0, 300_000_000.0); // raw 3e9 > Integer.MAX_VALUE
    assertEquals(3_000_000_000L, Integer.toUnsignedLong(ByteBuffer.wrap(data, 4, 4).getInt()));
  }

  @Test
  void valuesOutsideTheirFieldAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Faces2Payload.environment(4000, 50, 500));
    assertThrows(IllegalArgumentException.class, () -> Faces2Payload.environment(20, -1, 500));
    assertThrows(IllegalArgumentException.class, () -> Faces2Payload.power(230, 70, 100));
  }

  @Test
  void jsonHasAnRfc3339MillisecondUtcTimestampAndHexData() {
    String json = Faces2Payload.json(Instant.parse("2026-11-26T08:00:00Z"), new byte[] {0x00, (byte) 0xD7});
    assertEquals("{\"timestamp\":\"2026-11-26T08:00:00.000Z\",\"data\":\"00D7\"}", json);
    JsonObject parsed = new JsonObject(json);
    assertEquals(Set.of("timestamp", "data"), parsed.fieldNames());
    assertEquals(Instant.parse("2026-11-26T08:00:00Z"), Instant.parse(parsed.getString("timestamp")));
  }

  @Test
  void deviceTimestampsStrictlyIncreaseEvenWithinOneMillisecond() {
    Clock frozen = Clock.fixed(Instant.parse("2026-11-26T08:00:00.123Z"), ZoneOffset.UTC);
    DeviceClock clock = new DeviceClock(frozen);
    Instant previous = clock.next();
    Set<String> rendered = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      Instant next = clock.next();
      assertTrue(next.isAfter(previous), "strictly increasing");
      assertTrue(rendered.add(Faces2Payload.json(next, new byte[0])), "distinct at millisecond precision");
      previous = next;
    }
  }

  @Test
  void readingsStayRealistic() {
    Readings readings = new Readings(new Random(7));
    for (int i = 0; i < 10_000; i++) {
      ByteBuffer env = ByteBuffer.wrap(readings.next(Faces2Payload.ENVIRONMENT));
      double temperature = env.getShort() / 10.0;
      double humidity = Short.toUnsignedInt(env.getShort()) / 10.0;
      int co2 = Short.toUnsignedInt(env.getShort());
      assertTrue(temperature >= 18 && temperature <= 26, "temperature " + temperature);
      assertTrue(humidity >= 30 && humidity <= 70, "humidity " + humidity);
      assertTrue(co2 >= 400 && co2 <= 1200, "co2 " + co2);

      ByteBuffer power = ByteBuffer.wrap(readings.next(Faces2Payload.POWER));
      double volts = Short.toUnsignedInt(power.getShort()) / 10.0;
      double amps = Short.toUnsignedInt(power.getShort()) / 1000.0;
      double watts = Integer.toUnsignedLong(power.getInt()) / 10.0;
      assertTrue(volts >= 220 && volts <= 240, "voltage " + volts);
      assertTrue(watts <= volts * amps + 0.2 && watts >= 0.9 * volts * amps - 0.2, "power ≈ V×I: " + watts);
    }
  }

  @Test
  void hexDecodesBackToTheEncodedBytes() {
    assertArrayEquals(HexFormat.of().parseHex("00d7024e01f4"), Faces2Payload.environment(21.5, 59.0, 500));
  }
}
