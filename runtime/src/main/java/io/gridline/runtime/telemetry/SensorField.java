package io.gridline.runtime.telemetry;

import java.math.BigDecimal;

/** One row of {@code sensor_fields}: where a field sits in a mode's payload and how to turn its bytes into a value. */
public record SensorField(String field, int byteOffset, String type, String endian, BigDecimal scale, String unit) {
  /** Bytes the field's type occupies. */
  public int size() {
    return switch (type) {
      case "int16", "uint16" -> 2;
      case "int32", "uint32", "float32" -> 4;
      default -> throw new IllegalArgumentException("unknown field type " + type);
    };
  }

  public boolean littleEndian() {
    return "little".equals(endian);
  }

  /** The scale as the decimal it was written as (0.1, not 0.1000000000000000055…), which fixes the rounding. */
  public static BigDecimal scaleOf(double scale) {
    return BigDecimal.valueOf(scale).stripTrailingZeros();
  }
}
