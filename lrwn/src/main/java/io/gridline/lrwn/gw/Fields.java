package io.gridline.lrwn.gw;

import io.gridline.lrwn.gw.GatewayBridgeException.Reason;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads of proto3 JSON as the gateway bridge writes it: fields at their default value may be absent, 64-bit
 * integers may come as strings (and 32-bit ones are accepted as strings too, as protobuf's own parsers do), bytes are
 * base64. A wrong type or range is a {@code bad-field} refusal naming the field ({@code rxInfo.rssi}).
 */
final class Fields {
  private final JsonObject json;
  private final String where;

  private Fields(JsonObject json, String where) {
    this.json = json;
    this.where = where;
  }

  static Fields root(byte[] payload) throws GatewayBridgeException {
    try {
      return new Fields(new JsonObject(Buffer.buffer(payload)), "");
    } catch (DecodeException | ClassCastException e) {
      throw new GatewayBridgeException(Reason.BAD_JSON, "not a JSON object: " + e.getMessage());
    }
  }

  GatewayBridgeException bad(String key, String problem) {
    return new GatewayBridgeException(Reason.BAD_FIELD, where + key + ": " + problem);
  }

  /** The message under {@code key}; an absent one reads as an empty message (proto3's default). */
  Fields object(String key) throws GatewayBridgeException {
    Object v = json.getValue(key);
    if (v == null) {
      return new Fields(new JsonObject(), where + key + ".");
    }
    if (!(v instanceof JsonObject o)) {
      throw bad(key, "not an object");
    }
    return new Fields(o, where + key + ".");
  }

  boolean has(String key) {
    return json.getValue(key) != null;
  }

  /** The elements of the repeated message under {@code key}. */
  List<Fields> objects(String key) throws GatewayBridgeException {
    Object v = json.getValue(key);
    List<Fields> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray a)) {
      throw bad(key, "not an array");
    }
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof JsonObject o)) {
        throw bad(key + "[" + i + "]", "not an object");
      }
      out.add(new Fields(o, where + key + "[" + i + "]."));
    }
    return out;
  }

  long integer(String key, long min, long max) throws GatewayBridgeException {
    Object v = json.getValue(key);
    if (v == null) {
      if (0 < min || 0 > max) {
        throw bad(key, "missing");
      }
      return 0;
    }
    long n;
    if (v instanceof Number num) {
      double d = num.doubleValue();
      if (!Double.isFinite(d) || d != Math.rint(d)) {
        throw bad(key, "not a whole number");
      }
      n = num.longValue();
      if (d != (double) n) {
        throw bad(key, "outside " + min + ".." + max);
      }
    } else if (v instanceof String s) {
      try {
        n = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw bad(key, "not a whole number");
      }
    } else {
      throw bad(key, "not a number");
    }
    if (n < min || n > max) {
      throw bad(key, "outside " + min + ".." + max);
    }
    return n;
  }

  double decimal(String key, double min, double max) throws GatewayBridgeException {
    Object v = json.getValue(key);
    double d;
    if (v == null) {
      d = 0;
    } else if (v instanceof Number num) {
      d = num.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw bad(key, "not a number");
      }
    } else {
      throw bad(key, "not a number");
    }
    if (!Double.isFinite(d) || d < min || d > max) {
      throw bad(key, "outside " + min + ".." + max);
    }
    return d;
  }

  Optional<String> string(String key) throws GatewayBridgeException {
    Object v = json.getValue(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw bad(key, "not a string");
    }
    return Optional.of(s);
  }

  byte[] bytes(String key) throws GatewayBridgeException {
    Optional<String> s = string(key);
    if (s.isEmpty()) {
      return new byte[0];
    }
    try {
      return Base64.getDecoder().decode(s.get());
    } catch (IllegalArgumentException e) {
      throw bad(key, "not base64");
    }
  }
}
