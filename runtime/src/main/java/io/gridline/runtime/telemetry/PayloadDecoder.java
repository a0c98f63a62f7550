package io.gridline.runtime.telemetry;

import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Turns a payload's bytes into field values following a mode's {@code sensor_fields} rows. Pure; no I/O. */
public final class PayloadDecoder {
  /** One decoded field. */
  public record Reading(SensorField field, double value) {}

  private PayloadDecoder() {}

  /** @throws Rejection ({@code short-payload}) when a field reaches past the end of {@code data} */
  public static List<Reading> decode(byte[] data, List<SensorField> fields) {
    List<Reading> out = new ArrayList<>(fields.size());
    for (SensorField f : fields) {
      if (f.byteOffset() + f.size() > data.length) {
        throw new Rejection(Reasons.SHORT_PAYLOAD, "field " + f.field() + " needs bytes " + f.byteOffset() + ".."
            + (f.byteOffset() + f.size() - 1) + " but the payload has " + data.length);
      }
      double v = value(data, f);
      if (!Double.isNaN(v)) { // a NaN/infinite float32 is the sensor saying "no reading"
        out.add(new Reading(f, v));
      }
    }
    return out;
  }

  static double value(byte[] data, SensorField f) {
    ByteBuffer buf = ByteBuffer.wrap(data, f.byteOffset(), f.size())
        .order(f.littleEndian() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    BigDecimal raw = switch (f.type()) {
      case "int16" -> BigDecimal.valueOf(buf.getShort());
      case "uint16" -> BigDecimal.valueOf(Short.toUnsignedInt(buf.getShort()));
      case "int32" -> BigDecimal.valueOf(buf.getInt());
      case "uint32" -> BigDecimal.valueOf(Integer.toUnsignedLong(buf.getInt()));
      case "float32" -> floatValue(buf.getFloat());
      default -> throw new IllegalArgumentException("unknown field type " + f.type());
    };
    if (raw == null) {
      return Double.NaN;
    }
    BigDecimal scaled = raw.multiply(f.scale());
    if ("float32".equals(f.type())) {
      // a float carries ~7 significant digits; more would only repeat binary noise
      scaled = scaled.round(new java.math.MathContext(7, RoundingMode.HALF_EVEN));
    } else {
      scaled = scaled.setScale(Math.max(f.scale().scale(), 0), RoundingMode.HALF_EVEN);
    }
    return scaled.doubleValue();
  }

  private static BigDecimal floatValue(float f) {
    // Float.toString is the shortest decimal that reads back as this float: 21.5f stays 21.5, not 21.5000000…
    return Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
  }
}
