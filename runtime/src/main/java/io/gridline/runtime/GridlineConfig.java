package io.gridline.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Typed, read-only view of a node's resolved configuration. The node hands every verticle the whole flat config
 * (keys as declared in {@code config/gridline.yaml}, e.g. {@code api.port}); values were validated at startup, so a
 * wrong type here is a programming error.
 */
public final class GridlineConfig {
  private final JsonObject flat;

  private GridlineConfig(JsonObject flat) {
    this.flat = flat;
  }

  public static GridlineConfig of(JsonObject flat) {
    return new GridlineConfig(flat == null ? new JsonObject() : flat);
  }

  public JsonObject asJson() {
    return flat.copy();
  }

  public boolean has(String key) {
    Object v = flat.getValue(key);
    return v != null && !(v instanceof String s && s.isBlank());
  }

  public String string(String key) {
    return optString(key).orElseThrow(() -> new IllegalStateException("config key " + key + " is not set"));
  }

  public Optional<String> optString(String key) {
    Object v = flat.getValue(key);
    if (v == null) {
      return Optional.empty();
    }
    String s = String.valueOf(v).trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  public String string(String key, String fallback) {
    return optString(key).orElse(fallback);
  }

  /** @throws IllegalStateException when the value does not fit an int (it is never wrapped into one) */
  public int integer(String key) {
    Object v = flat.getValue(key);
    long value = v instanceof Number n ? n.longValue() : Long.parseLong(string(key));
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE
        || v instanceof Number n && n.doubleValue() != value) {
      throw new IllegalStateException("config key " + key + " holds " + v + ", not an int");
    }
    return (int) value;
  }

  public long longValue(String key) {
    Object v = flat.getValue(key);
    if (v instanceof Number n) {
      return n.longValue();
    }
    return Long.parseLong(string(key));
  }

  public boolean bool(String key) {
    Object v = flat.getValue(key);
    if (v instanceof Boolean b) {
      return b;
    }
    return Boolean.parseBoolean(string(key, "false"));
  }

  public List<String> list(String key) {
    Object v = flat.getValue(key);
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) {
      a.forEach(x -> out.add(String.valueOf(x).trim()));
    } else if (v != null) {
      Arrays.stream(String.valueOf(v).split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    }
    return out;
  }

  /** The node's stable id ({@code node.id}). */
  public String nodeId() {
    return string("node.id");
  }
}
