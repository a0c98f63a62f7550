package io.gridline.lrwn.semtechudp;

import io.gridline.lrwn.semtechudp.SemtechPacketException.Reason;
import io.gridline.lrwn.region.DataRate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Typed reads of the forwarder's JSON: a missing required field, a wrong type or an out-of-range number becomes a
 * {@code bad-field} refusal naming the field ({@code rxpk[1].freq}), never a ClassCastException.
 */
final class JsonFields {
  private final JsonObject json;
  private final String where;

  JsonFields(JsonObject json, String where) {
    this.json = json;
    this.where = where;
  }

  /** Parses a datagram body; trailing NULs (some forwarders send C strings) are not part of it. */
  static JsonObject parse(byte[] datagram, int from) throws SemtechPacketException {
    int to = datagram.length;
    while (to > from && datagram[to - 1] == 0) {
      to--;
    }
    if (to == from) {
      throw new SemtechPacketException(Reason.BAD_JSON, "no JSON body");
    }
    try {
      return new JsonObject(Buffer.buffer().appendBytes(datagram, from, to - from));
    } catch (DecodeException e) {
      throw new SemtechPacketException(Reason.BAD_JSON, e.getMessage());
    }
  }

  boolean has(String key) {
    return json.getValue(key) != null;
  }

  SemtechPacketException bad(String key, String problem) {
    return new SemtechPacketException(Reason.BAD_FIELD, where + "." + key + ": " + problem);
  }

  private Object required(String key) throws SemtechPacketException {
    Object value = json.getValue(key);
    if (value == null) {
      throw bad(key, "missing");
    }
    return value;
  }

  private Number number(String key, Object value) throws SemtechPacketException {
    if (!(value instanceof Number n)) {
      throw bad(key, "not a number");
    }
    if (!Double.isFinite(n.doubleValue())) {
      throw bad(key, "not finite");
    }
    return n;
  }

  long integer(String key, long min, long max) throws SemtechPacketException {
    return integer(key, required(key), min, max);
  }

  private long integer(String key, Object value, long min, long max) throws SemtechPacketException {
    double d = number(key, value).doubleValue();
    if (d != Math.rint(d)) {
      throw bad(key, "not a whole number");
    }
    if (d < min || d > max) {
      throw bad(key, "outside " + min + ".." + max);
    }
    return (long) d;
  }

  OptionalLong optionalInteger(String key, long min, long max) throws SemtechPacketException {
    Object value = json.getValue(key);
    return value == null ? OptionalLong.empty() : OptionalLong.of(integer(key, value, min, max));
  }

  OptionalInt optionalInt(String key, int min, int max) throws SemtechPacketException {
    OptionalLong value = optionalInteger(key, min, max);
    return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
  }

  int intOr(String key, int min, int max, int absent) throws SemtechPacketException {
    return optionalInt(key, min, max).orElse(absent);
  }

  double decimal(String key, double min, double max) throws SemtechPacketException {
    double d = number(key, required(key)).doubleValue();
    if (d < min || d > max) {
      throw bad(key, "outside " + min + ".." + max);
    }
    return d;
  }

  OptionalDouble optionalDecimal(String key, double min, double max) throws SemtechPacketException {
    return has(key) ? OptionalDouble.of(decimal(key, min, max)) : OptionalDouble.empty();
  }

  String string(String key) throws SemtechPacketException {
    if (!(required(key) instanceof String s)) {
      throw bad(key, "not a string");
    }
    return s;
  }

  Optional<String> optionalString(String key) throws SemtechPacketException {
    return has(key) ? Optional.of(string(key)) : Optional.empty();
  }

  boolean boolOr(String key, boolean absent) throws SemtechPacketException {
    Object value = json.getValue(key);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof Boolean b)) {
      throw bad(key, "not a boolean");
    }
    return b;
  }

  JsonObject object(String key) throws SemtechPacketException {
    if (!(required(key) instanceof JsonObject o)) {
      throw bad(key, "not an object");
    }
    return o;
  }

  JsonArray array(String key) throws SemtechPacketException {
    if (!(required(key) instanceof JsonArray a)) {
      throw bad(key, "not an array");
    }
    return a;
  }

  /** A frequency in MHz with Hz precision ({@code 868.1}), returned in Hz. */
  long frequencyHz(String key) throws SemtechPacketException {
    return Math.round(decimal(key, 0.000001, 10_000) * 1_000_000);
  }

  /** {@code modu} and {@code datr}: a LoRa {@code SF7BW125} string or an FSK bit rate number. */
  DataRate dataRate() throws SemtechPacketException {
    String modu = string("modu");
    switch (modu) {
      case "LORA" -> {
        if (!(required("datr") instanceof String datr)) {
          throw bad("datr", "a LoRa datr is a string");
        }
        return DataRate.parseLora(datr).orElseThrow(() -> bad("datr", "no LoRa rate: " + datr));
      }
      case "FSK" -> {
        return DataRate.fsk((int) integer("datr", 1, 1_000_000));
      }
      default -> throw new SemtechPacketException(Reason.UNSUPPORTED_MODULATION, where + ".modu: " + modu);
    }
  }

  /** {@code data} (base64) checked against {@code size} when the forwarder sent one. */
  byte[] data() throws SemtechPacketException {
    byte[] data;
    try {
      data = Base64.getDecoder().decode(string("data"));
    } catch (IllegalArgumentException e) {
      throw bad("data", "not base64");
    }
    OptionalLong size = optionalInteger("size", 0, 65_535);
    if (size.isPresent() && size.getAsLong() != data.length) {
      throw bad("size", size.getAsLong() + " but data holds " + data.length + " octets");
    }
    return data;
  }

  /** Writes {@code modu}/{@code datr} the way {@link #dataRate()} reads them. */
  static void putDataRate(JsonObject json, DataRate rate) {
    json.put("modu", rate.modulation().name());
    if (rate.modulation() == DataRate.Modulation.LORA) {
      json.put("datr", rate.loraDatr());
    } else {
      json.put("datr", rate.bitRate());
    }
  }

  /** MHz as the forwarder writes it; a double's shortest form keeps every Hz (at most 10 significant digits). */
  static double megahertz(long hz) {
    return hz / 1_000_000.0;
  }
}
