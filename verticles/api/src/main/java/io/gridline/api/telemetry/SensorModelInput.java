package io.gridline.api.telemetry;

import io.gridline.api.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decoding rules sent to {@code /sensor-models}: a model's modes, each a list of fields (the rows of
 * {@code sensor_fields}). Problems are named by their path in the body, e.g. {@code modes[0].fields[1].type}.
 */
final class SensorModelInput {
  static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  static final List<String> TYPES = List.of("int16", "uint16", "int32", "uint32", "float32");
  static final List<String> ENDIANS = List.of("big", "little");
  private static final Set<String> FIELD_KEYS = Set.of("field", "byteOffset", "type", "endian", "scale", "unit");

  /** One field of a mode. */
  record Field(String field, int byteOffset, String type, String endian, double scale, String unit) {
    JsonObject toJson() {
      return new JsonObject().put("field", field).put("byteOffset", byteOffset).put("type", type).put("endian", endian)
          .put("scale", scale).put("unit", unit);
    }
  }

  /** A mode and its fields. */
  record Mode(int mode, List<Field> fields) {
    JsonObject toJson() {
      return new JsonObject().put("mode", mode).put("fields", new JsonArray(fields.stream().map(Field::toJson).toList()));
    }
  }

  /** A model with its modes. */
  record Model(String model, List<Mode> modes) {
    JsonObject toJson() {
      return new JsonObject().put("model", model).put("modes", new JsonArray(modes.stream().map(Mode::toJson).toList()));
    }
  }

  private final List<Problem.FieldError> errors = new ArrayList<>();

  private SensorModelInput() {}

  /** {@code POST /sensor-models}: {@code {model, modes:[{mode, fields:[…]}]}}. */
  static Future<Model> model(JsonObject body) {
    SensorModelInput in = new SensorModelInput();
    in.unknownKeys(body, Set.of("model", "modes"), "");
    String model = in.modelName(body.getValue("model"), "model");
    List<Mode> modes = new ArrayList<>();
    Object rawModes = body.getValue("modes");
    if (!(rawModes instanceof JsonArray arr) || arr.isEmpty()) {
      in.reject("modes", "must be a non-empty array of {mode, fields}");
    } else {
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < arr.size(); i++) {
        String at = "modes[" + i + "]";
        if (!(arr.getValue(i) instanceof JsonObject m)) {
          in.reject(at, "must be an object {mode, fields}");
          continue;
        }
        in.unknownKeys(m, Set.of("mode", "fields"), at + ".");
        Integer mode = in.mode(m.getValue("mode"), at + ".mode");
        if (mode != null && !seen.add(mode)) {
          in.reject(at + ".mode", "mode " + mode + " appears twice");
        }
        List<Field> fields = in.fields(m.getValue("fields"), at + ".fields");
        if (mode != null) {
          modes.add(new Mode(mode, fields));
        }
      }
    }
    return in.result(new Model(model, modes));
  }

  /** {@code PUT /sensor-models/{model}/modes/{mode}}: {@code {fields:[…]}}, with the path's model and mode. */
  static Future<Model> mode(String modelParam, String modeParam, JsonObject body) {
    SensorModelInput in = new SensorModelInput();
    String model = in.modelName(modelParam, "model");
    Integer mode = null;
    if (modeParam == null || !modeParam.matches("[0-9]{1,3}") || Integer.parseInt(modeParam) > 255) {
      in.reject("mode", "must be an integer between 0 and 255");
    } else {
      mode = Integer.parseInt(modeParam);
    }
    in.unknownKeys(body, Set.of("fields", "mode", "model"), "");
    List<Field> fields = in.fields(body.getValue("fields"), "fields");
    return in.result(new Model(model, mode == null ? List.of() : List.of(new Mode(mode, fields))));
  }

  private List<Field> fields(Object raw, String at) {
    List<Field> out = new ArrayList<>();
    if (!(raw instanceof JsonArray arr) || arr.isEmpty()) {
      reject(at, "must be a non-empty array of {field, byteOffset, type, endian, scale, unit}");
      return out;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      String p = at + "[" + i + "]";
      if (!(arr.getValue(i) instanceof JsonObject f)) {
        reject(p, "must be an object");
        continue;
      }
      int before = errors.size();
      unknownKeys(f, FIELD_KEYS, p + ".");
      String field = f.getValue("field") instanceof String s && FIELD.matcher(s).matches() ? s : null;
      if (field == null) {
        reject(p + ".field", "must match " + FIELD.pattern());
      } else if (!names.add(field)) {
        reject(p + ".field", "field " + field + " appears twice");
      }
      Integer offset = f.getValue("byteOffset") instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
          && n.intValue() >= 0 && n.intValue() <= 1024 ? n.intValue() : null;
      if (offset == null) {
        reject(p + ".byteOffset", "must be an integer between 0 and 1024");
      }
      String type = f.getValue("type") instanceof String s && TYPES.contains(s) ? s : null;
      if (type == null) {
        reject(p + ".type", "must be one of " + String.join(", ", TYPES));
      }
      Object e = f.getValue("endian", "big");
      String endian = e instanceof String s && ENDIANS.contains(s) ? s : null;
      if (endian == null) {
        reject(p + ".endian", "must be big or little");
      }
      Object sc = f.getValue("scale", 1);
      Double scale = sc instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() != 0 ? n.doubleValue() : null;
      if (scale == null) {
        reject(p + ".scale", "must be a non-zero number");
      }
      Object u = f.getValue("unit", "");
      String unit = u instanceof String s && s.length() <= 32 ? s : null;
      if (unit == null) {
        reject(p + ".unit", "must be a string of at most 32 characters");
      }
      if (errors.size() == before) {
        out.add(new Field(field, offset, type, endian, scale, unit));
      }
    }
    return out;
  }

  private String modelName(Object raw, String at) {
    if (raw instanceof String s && MODEL.matcher(s).matches()) {
      return s;
    }
    reject(at, "must match " + MODEL.pattern());
    return null;
  }

  private Integer mode(Object raw, String at) {
    if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= 0 && n.intValue() <= 255) {
      return n.intValue();
    }
    reject(at, "must be an integer between 0 and 255");
    return null;
  }

  private void unknownKeys(JsonObject o, Set<String> allowed, String prefix) {
    for (String k : o.fieldNames()) {
      if (!allowed.contains(k)) {
        reject(prefix + k, "unknown field");
      }
    }
  }

  private void reject(String field, String message) {
    errors.add(new Problem.FieldError(field, message));
  }

  private <T> Future<T> result(T value) {
    return errors.isEmpty() ? Future.succeededFuture(value) : Future.failedFuture(Problem.validation(errors));
  }
}
