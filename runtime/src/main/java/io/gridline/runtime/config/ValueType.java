package io.gridline.runtime.config;

import io.vertx.core.json.JsonArray;
import java.util.Arrays;
import java.util.Locale;

/** The type of a config key, taken from its default in {@code config/gridline.yaml}; raw text is parsed into it. */
public enum ValueType {
  /**
   * A 32-bit integer: settings read it as an int, where a larger value would wrap (4294967302 partitions becoming 6),
   * so it is refused here; the longest durations in milliseconds still fit (about 24 days).
   */
  INT("an integer") {
    @Override
    public Object parse(String raw) {
      try {
        return Integer.parseInt(raw.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected " + description() + " from " + Integer.MIN_VALUE + " to "
            + Integer.MAX_VALUE + ", got '" + raw + "'");
      }
    }
  },
  BOOL("true or false") {
    @Override
    public Object parse(String raw) {
      String s = raw.trim().toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return Boolean.valueOf(s);
      }
      throw new IllegalArgumentException("expected " + description() + ", got '" + raw + "'");
    }
  },
  STRING("a string") {
    @Override
    public Object parse(String raw) {
      return raw.trim();
    }
  },
  /** Comma-separated in env, flags and files (a YAML sequence works in files too); blank items are dropped. */
  LIST("a comma list") {
    @Override
    public Object parse(String raw) {
      JsonArray items = new JsonArray();
      Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
      return items;
    }
  };

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** @throws IllegalArgumentException with a message saying what was expected and what was given */
  public abstract Object parse(String raw);
}
