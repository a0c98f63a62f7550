package io.gridline.runtime;

import java.util.Locale;

/** The environment variable that overrides a config key: {@code api.admin-key} → {@code GRIDLINE_API_ADMIN_KEY}. */
public final class EnvNames {
  public static final String PREFIX = "GRIDLINE_";

  private EnvNames() {}

  public static String forKey(String key) {
    return PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
