package io.gridline.sim.faces2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The FACES2 payload: JSON {@code {"timestamp": RFC 3339 UTC with ms, "data": "<hex>"}}, data laid out per sensor mode
 * exactly as the stream processor's seed decoding expects (big-endian, scaled integers):
 * <ul>
 *   <li>mode 1 environment: temperature int16 × 0.1 °C, humidity uint16 × 0.1 %RH, co2 uint16 ppm (6 bytes);</li>
 *   <li>mode 2 power: voltage uint16 × 0.1 V, current uint16 × 0.001 A, power uint32 × 0.1 W (8 bytes).</li>
 * </ul>
 */
public final class Faces2Payload {
  public static final int ENVIRONMENT = 1;
  public static final int POWER = 2;

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Faces2Payload() {}

  public static byte[] environment(double temperatureC, double humidityPct, int co2Ppm) {
    return ByteBuffer.allocate(6)
        .putShort((short) checked(scaled(temperatureC, 10), Short.MIN_VALUE, Short.MAX_VALUE, "temperature"))
        .putShort((short) checked(scaled(humidityPct, 10), 0, 0xFFFF, "humidity"))
        .putShort((short) checked(co2Ppm, 0, 0xFFFF, "co2"))
        .array();
  }

  public static byte[] power(double voltageV, double currentA, double powerW) {
    return ByteBuffer.allocate(8)
        .putShort((short) checked(scaled(voltageV, 10), 0, 0xFFFF, "voltage"))
        .putShort((short) checked(scaled(currentA, 1000), 0, 0xFFFF, "current"))
        .putInt((int) checked(scaled(powerW, 10), 0, 0xFFFF_FFFFL, "power"))
        .array();
  }

  public static String json(Instant timestamp, byte[] data) {
    return "{\"timestamp\":\"" + TIMESTAMP.format(timestamp) + "\",\"data\":\"" + hex(data) + "\"}";
  }

  public static byte[] jsonBytes(Instant timestamp, byte[] data) {
    return json(timestamp, data).getBytes(StandardCharsets.UTF_8);
  }

  public static String hex(byte[] data) {
    char[] out = new char[data.length * 2];
    for (int i = 0; i < data.length; i++) {
      out[2 * i] = HEX[(data[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[data[i] & 0xF];
    }
    return new String(out);
  }

  private static long scaled(double value, int factor) {
    return Math.round(value * factor);
  }

  private static long checked(long raw, long min, long max, String field) {
    if (raw < min || raw > max) {
      throw new IllegalArgumentException(field + " does not fit its field: raw " + raw);
    }
    return raw;
  }
}
