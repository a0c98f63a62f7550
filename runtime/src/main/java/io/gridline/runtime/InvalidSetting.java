package io.gridline.runtime;

/**
 * A config value that cannot work, found by the code that uses it; the node reports it at start as
 * {@code invalid value for <key> (env GRIDLINE_…): <problem>} before anything connects.
 */
public final class InvalidSetting extends IllegalArgumentException {
  private final String key;
  private final String problem;

  public InvalidSetting(String key, String problem) {
    super("invalid value for " + key + " (env " + EnvNames.forKey(key) + "): " + problem);
    this.key = key;
    this.problem = problem;
  }

  public String key() {
    return key;
  }

  public String problem() {
    return problem;
  }
}
