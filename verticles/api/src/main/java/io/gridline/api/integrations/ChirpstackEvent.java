package io.gridline.api.integrations;

import io.gridline.api.http.Problem;
import io.gridline.api.http.Problem.FieldError;
import io.gridline.contracts.lorawan.IntegrationEvent.Types;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A ChirpStack event as the api hands it on: the device's DevEUI (canonical), when it happened, and the body in
 * ChirpStack v4's JSON form reduced to what Gridline reads — checked field by field (a 400 names each bad one), proto3
 * defaults filled where ChirpStack leaves them out. Read from v4 JSON ({@link #v4}) or from the v3 webhooks of seed
 * 001 ({@link #v3Uplink}, {@link #v3Status}, {@link #v3Error}), which say the same in older words.
 *
 * @param receivedAt the event's {@code time} (up, join), else when the api received it; epoch ms
 */
record ChirpstackEvent(String event, String devEui, long receivedAt, JsonObject body) {
  static final List<String> EVENTS = List.of(Types.UP, Types.JOIN, Types.STATUS, Types.ACK, Types.TXACK, Types.LOG);

  /** ChirpStack v4 JSON: {@code deviceInfo.devEui} names the device. */
  static Future<ChirpstackEvent> v4(String event, JsonObject in, long now) {
    Fields f = new Fields(in);
    JsonObject deviceInfo = f.object("deviceInfo");
    String devEui = deviceInfo == null ? f.missing("deviceInfo.devEui") : f.devEui(deviceInfo, "deviceInfo.devEui");
    JsonObject out = switch (event) {
      case Types.UP -> up(f, in.getValue("object"));
      case Types.JOIN -> new JsonObject().put("deduplicationId", f.string("deduplicationId"))
          .put("devAddr", f.string("devAddr"));
      case Types.STATUS -> status(f);
      case Types.ACK -> new JsonObject().put("queueItemId", f.string("queueItemId"))
          .put("acknowledged", f.bool("acknowledged")).put("fCntDown", f.integer("fCntDown", 0, 0xFFFF_FFFFL));
      case Types.TXACK -> new JsonObject().put("queueItemId", f.string("queueItemId"))
          .put("fCntDown", f.integer("fCntDown", 0, 0xFFFF_FFFFL)).put("gatewayId", f.string("gatewayId"));
      case Types.LOG -> new JsonObject().put("level", f.stringOr("level", "INFO")).put("code", f.stringOr("code",
          "UNKNOWN")).put("description", f.stringOr("description", "")).put("context", f.objectOr("context"));
      default -> throw new IllegalArgumentException(event);
    };
    return f.result(event, devEui, f.time(now), out);
  }

  /** Seed 001's v3 uplink: {@code devEUI} (hex, or base64 as v3's protobuf JSON has it), {@code objectJSON}. */
  static Future<ChirpstackEvent> v3Uplink(JsonObject in, long now) {
    Fields f = new Fields(in);
    String devEui = f.v3DevEui();
    JsonArray rx = rxInfo(f, (r, rf) -> r.getValue("gatewayID") instanceof String g ? v3Eui(g) : null, "loRaSNR");
    Object object = null;
    String objectJson = f.string("objectJSON");
    if (objectJson != null && !objectJson.isEmpty()) {
      try {
        object = new JsonObject(objectJson);
      } catch (RuntimeException e) {
        f.reject("objectJSON", "must hold a JSON object");
      }
    }
    JsonObject out = new JsonObject().put("fCnt", f.integer("fCnt", 0, 0xFFFF_FFFFL))
        .put("fPort", f.integer("fPort", 0, 255)).put("confirmed", f.bool("confirmedUplink"))
        .put("data", f.base64("data")).put("rxInfo", rx).put("object", object);
    return f.result(Types.UP, devEui, now, out);
  }

  static Future<ChirpstackEvent> v3Status(JsonObject in, long now) {
    Fields f = new Fields(in);
    String devEui = f.v3DevEui();
    return f.result(Types.STATUS, devEui, now, status(f));
  }

  /** A v3 error event becomes a v4 log event of level ERROR ({@code type} its code, {@code error} its text). */
  static Future<ChirpstackEvent> v3Error(JsonObject in, long now) {
    Fields f = new Fields(in);
    String devEui = f.v3DevEui();
    JsonObject out = new JsonObject().put("level", "ERROR").put("code", f.stringOr("type", "UNKNOWN"))
        .put("description", f.stringOr("error", "")).put("context", new JsonObject()
            .put("fCnt", f.integer("fCnt", 0, 0xFFFF_FFFFL)));
    return f.result(Types.LOG, devEui, now, out);
  }

  private static JsonObject up(Fields f, Object object) {
    JsonArray rx = rxInfo(f, (r, rf) -> rf.string("gatewayId"), "snr");
    if (object != null && !(object instanceof JsonObject)) {
      f.reject("object", "must be an object");
    }
    return new JsonObject().put("deduplicationId", f.string("deduplicationId")).put("devAddr", f.string("devAddr"))
        .put("fCnt", f.integer("fCnt", 0, 0xFFFF_FFFFL)).put("fPort", f.integer("fPort", 0, 255))
        .put("confirmed", f.bool("confirmed")).put("data", f.base64("data")).put("rxInfo", rx)
        .put("object", object instanceof JsonObject o ? o : null);
  }

  /**
   * {@code rxInfo[]} as {@code [{gatewayId, rssi, snr}]}; v3 and v4 differ in how the gateway and the SNR are named.
   */
  private static JsonArray rxInfo(Fields f, java.util.function.BiFunction<JsonObject, Fields, String> gateway,
      String snrField) {
    JsonArray rx = new JsonArray();
    JsonArray rxIn = f.array("rxInfo");
    for (int i = 0; rxIn != null && i < rxIn.size(); i++) {
      if (!(rxIn.getValue(i) instanceof JsonObject r)) {
        f.reject("rxInfo[" + i + "]", "must be an object");
        continue;
      }
      Fields rf = new Fields(r, "rxInfo[" + i + "].");
      rx.add(new JsonObject().put("gatewayId", gateway.apply(r, rf)).put("rssi", rf.integer("rssi", -300, 100))
          .put("snr", rf.number(snrField)));
      f.errors.addAll(rf.errors);
    }
    return rx;
  }

  private static JsonObject status(Fields f) {
    return new JsonObject().put("margin", f.integer("margin", -128, 127))
        .put("batteryLevel", f.number("batteryLevel"))
        .put("batteryLevelUnavailable", f.bool("batteryLevelUnavailable"))
        .put("externalPowerSource", f.bool("externalPowerSource"));
  }

  /** v3 EUIs: hex, or the 8 bytes base64 (v3's protobuf JSON marshaler). */
  private static String v3Eui(String raw) {
    try {
      return ExternalIds.devEui(raw);
    } catch (IllegalArgumentException notHex) {
      try {
        byte[] bytes = Base64.getDecoder().decode(raw);
        return bytes.length == 8 ? HexFormat.of().formatHex(bytes) : null;
      } catch (IllegalArgumentException notBase64) {
        return null;
      }
    }
  }

  /** Typed reads of optional fields (absent = the proto3 default, or null), collecting what is wrong. */
  private static final class Fields {
    final JsonObject in;
    final String prefix;
    final List<FieldError> errors = new ArrayList<>();

    Fields(JsonObject in) {
      this(in, "");
    }

    Fields(JsonObject in, String prefix) {
      this.in = in;
      this.prefix = prefix;
    }

    void reject(String field, String message) {
      errors.add(new FieldError(field, message));
    }

    String missing(String field) {
      reject(field, "is required");
      return null;
    }

    String string(String field) {
      Object v = in.getValue(field);
      if (v == null || v instanceof String) {
        return (String) v;
      }
      reject(prefix + field, "must be a string");
      return null;
    }

    String stringOr(String field, String absent) {
      String s = string(field);
      return s == null ? absent : s;
    }

    Boolean bool(String field) {
      Object v = in.getValue(field);
      if (v == null) {
        return false;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      reject(prefix + field, "must be true or false");
      return null;
    }

    /** Whole numbers; proto3 JSON writes 64-bit ones as strings, so a string of digits is read too. */
    Long integer(String field, long min, long max) {
      Object v = in.getValue(field);
      if (v == null) {
        return null;
      }
      Long n = null;
      if (v instanceof Number num && (num.doubleValue() == Math.rint(num.doubleValue()))) {
        n = num.longValue();
      } else if (v instanceof String s && s.matches("-?[0-9]{1,19}")) {
        try {
          n = Long.parseLong(s);
        } catch (NumberFormatException ignored) {
          // out of range: refused below
        }
      }
      if (n == null || n < min || n > max) {
        reject(prefix + field, "must be a whole number from " + min + " to " + max);
        return null;
      }
      return n;
    }

    Double number(String field) {
      Object v = in.getValue(field);
      if (v == null) {
        return null;
      }
      if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
        return n.doubleValue();
      }
      reject(prefix + field, "must be a number");
      return null;
    }

    String base64(String field) {
      String s = string(field);
      if (s == null) {
        return null;
      }
      try {
        Base64.getDecoder().decode(s);
        return s;
      } catch (IllegalArgumentException e) {
        reject(prefix + field, "must be base64");
        return null;
      }
    }

    JsonObject object(String field) {
      Object v = in.getValue(field);
      if (v == null || v instanceof JsonObject) {
        return (JsonObject) v;
      }
      reject(prefix + field, "must be an object");
      return null;
    }

    JsonObject objectOr(String field) {
      JsonObject o = object(field);
      return o == null ? new JsonObject() : o;
    }

    JsonArray array(String field) {
      Object v = in.getValue(field);
      if (v == null || v instanceof JsonArray) {
        return (JsonArray) v;
      }
      reject(prefix + field, "must be an array");
      return null;
    }

    String devEui(JsonObject holder, String field) {
      Object v = holder.getValue("devEui");
      if (!(v instanceof String s)) {
        return missing(field);
      }
      try {
        return ExternalIds.devEui(s);
      } catch (IllegalArgumentException e) {
        reject(field, "must be a DevEUI (16 hex digits)");
        return null;
      }
    }

    String v3DevEui() {
      Object v = in.getValue("devEUI");
      if (!(v instanceof String s)) {
        return missing("devEUI");
      }
      String eui = v3Eui(s);
      if (eui == null) {
        reject("devEUI", "must be a DevEUI (16 hex digits, or its 8 bytes in base64)");
      }
      return eui;
    }

    /** {@code time} (RFC 3339) when given and readable, else {@code now}. */
    long time(long now) {
      String t = string("time");
      if (t == null) {
        return now;
      }
      try {
        return OffsetDateTime.parse(t).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        reject("time", "must be an RFC 3339 time");
        return now;
      }
    }

    Future<ChirpstackEvent> result(String event, String devEui, long receivedAt, JsonObject body) {
      return errors.isEmpty() ? Future.succeededFuture(new ChirpstackEvent(event, devEui, receivedAt, body))
          : Future.failedFuture(Problem.validation(errors));
    }
  }
}
