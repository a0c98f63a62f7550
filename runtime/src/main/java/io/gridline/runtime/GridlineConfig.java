package io.gridline.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed, read-only view of a node's resolved configuration. The node hands every verticle the whole flat config: every
 * key declared in {@code config/gridline.yaml} (e.g. {@code api.port}), with its declared default unless something
 * overrode it. So a reader takes the key and nothing else — no fallback value: the default lives in the file only.
 *
 * <p>The typed readers ({@link #positiveInt}, {@link #duration}, {@link #port}, …) check what the node's loader cannot
 * know from the type alone; every one of them fails the same way, with {@link InvalidSetting} naming the key and its
 * environment variable. A key missing from the config fails too: it is a config not resolved from the declared file
 * (a hand-written test config), never the operator's doing.
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

  /** Whether the key holds a value that is not blank (an empty string is how the file says "unset"). */
  public boolean has(String key) {
    Object v = flat.getValue(key);
    return v != null && !(v instanceof String s && s.isBlank());
  }

  // ---- text

  /** A value that must be set (not blank), trimmed. */
  public String string(String key) {
    return optString(key).orElseThrow(() -> new InvalidSetting(key, "must be set"));
  }

  /** The value, trimmed; empty when it is blank (the declared default of an optional key is {@code ""}). */
  public Optional<String> optString(String key) {
    String s = String.valueOf(value(key)).trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /** One of {@code choices}, matched ignoring case; the choice as written there. */
  public String choice(String key, List<String> choices) {
    String raw = String.valueOf(value(key)).trim();
    return choices.stream().filter(c -> c.equalsIgnoreCase(raw)).findFirst().orElseThrow(() ->
        new InvalidSetting(key, "expected one of " + String.join(", ", choices) + ", got '" + raw + "'"));
  }

  /** A comma list (or a JSON array), items trimmed, blank items dropped. */
  public List<String> list(String key) {
    Object v = value(key);
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) {
      a.forEach(x -> out.add(String.valueOf(x).trim()));
    } else {
      Arrays.stream(String.valueOf(v).split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    }
    return out;
  }

  // ---- flags and numbers

  public boolean bool(String key) {
    Object v = value(key);
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new InvalidSetting(key, "expected true or false, got '" + v + "'");
  }

  /** At least 1. */
  public int positiveInt(String key) {
    return toInt(key, atLeast(key, 1));
  }

  /** At least 0. */
  public int nonNegativeInt(String key) {
    return toInt(key, atLeast(key, 0));
  }

  /** At least 1. */
  public long positiveLong(String key) {
    return atLeast(key, 1);
  }

  /** At least 0. */
  public long nonNegativeLong(String key) {
    return atLeast(key, 0);
  }

  /** A TCP/UDP port to listen on: 0..65535, 0 = any free port. */
  public int port(String key) {
    long v = number(key);
    if (v < 0 || v > 65535) {
      throw new InvalidSetting(key, v + " is not a port (0..65535)");
    }
    return (int) v;
  }

  /** As {@link #port}, or -1: the listener is off. */
  public int portOrOff(String key) {
    long v = number(key);
    if (v < -1 || v > 65535) {
      throw new InvalidSetting(key, v + " is not a port (0..65535, or -1 = off)");
    }
    return (int) v;
  }

  // ---- durations

  /** An ISO-8601 duration of at least a millisecond, e.g. {@code PT10S}, {@code P7D}. */
  public Duration duration(String key) {
    Duration d = parseDuration(key, String.valueOf(value(key)).trim());
    if (d.isNegative() || d.getSeconds() == 0 && d.getNano() < 1_000_000) {
      throw new InvalidSetting(key, "must be a positive duration (at least 1 ms), got " + d);
    }
    return d;
  }

  /** As {@link #duration}, or empty when the value is blank (the file's "off" / "keep forever"). */
  public Optional<Duration> optDuration(String key) {
    return optString(key).isEmpty() ? Optional.empty() : Optional.of(duration(key));
  }

  /** An ISO-8601 duration that may be zero, e.g. an overlap that can be turned off with {@code PT0S}. */
  public Duration nonNegativeDuration(String key) {
    Duration d = parseDuration(key, String.valueOf(value(key)).trim());
    if (d.isNegative()) {
      throw new InvalidSetting(key, "must not be negative, got " + d);
    }
    return d;
  }

  // ---- raw numbers (the node's own keys, checked by type when it loaded them)

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

  /** The node's stable id ({@code node.id}). */
  public String nodeId() {
    return string("node.id");
  }

  // ---- the checks

  /** The raw value; a key missing from the config is a config not resolved from the declared file. */
  private Object value(String key) {
    Object v = flat.getValue(key);
    if (v == null) {
      throw new InvalidSetting(key, "is missing from the config: every key is declared with its default in "
          + "config/gridline.yaml, and the node hands each verticle all of them");
    }
    return v;
  }

  /** A whole number (a JSON number without fraction, or its text). */
  private long number(String key) {
    Object v = value(key);
    if (v instanceof Number n) {
      if (n.doubleValue() != n.longValue()) {
        throw new InvalidSetting(key, "expected a whole number, got " + v);
      }
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new InvalidSetting(key, "expected a whole number, got '" + v + "'");
    }
  }

  private long atLeast(String key, long min) {
    long v = number(key);
    if (v < min) {
      throw new InvalidSetting(key, (min == 1 ? "must be positive" : "must not be negative") + ", got " + v);
    }
    return v;
  }

  private static int toInt(String key, long v) {
    if (v > Integer.MAX_VALUE) {
      throw new InvalidSetting(key, "must be at most " + Integer.MAX_VALUE + ", got " + v);
    }
    return (int) v;
  }

  private static Duration parseDuration(String key, String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidSetting(key, "expected an ISO-8601 duration such as PT10S, PT5M or P7D, got '" + text + "'");
    }
  }
}
