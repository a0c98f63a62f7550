package io.gridline.node;

import io.vertx.core.json.JsonArray;
import java.util.Arrays;
import java.util.Locale;

/** The type of a config key, taken from its default in {@code config/gridline.yaml}; raw text is parsed into it. */
enum ValueType {
  INT("an integer") {
    @Override
    Object parse(String raw) {
      String s = raw.trim();
      try {
        long v = Long.parseLong(s);
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected " + description() + ", got '" + raw + "'");
      }
    }
  },
  BOOL("true or false") {
    @Override
    Object parse(String raw) {
      String s = raw.trim().toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return Boolean.valueOf(s);
      }
      throw new IllegalArgumentException("expected " + description() + ", got '" + raw + "'");
    }
  },
  STRING("a string") {
    @Override
    Object parse(String raw) {
      return raw.trim();
    }
  },
  /** Comma-separated in env, flags and files (a YAML sequence works in files too); blank items are dropped. */
  LIST("a comma list") {
    @Override
    Object parse(String raw) {
      JsonArray items = new JsonArray();
      Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
      return items;
    }
  };

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  String description() {
    return description;
  }

  /** @throws IllegalArgumentException with a message saying what was expected and what was given */
  abstract Object parse(String raw);
}
