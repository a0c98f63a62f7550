package io.gridline.testkit;

import java.io.File;
import java.util.Map;
import org.opentest4j.TestAbortedException;

/**
 * For tests that need a program the machine may lack (mosquitto, node): on a developer's laptop such a test is skipped
 * with the reason; under CI ({@code CI=true}) a missing tool fails it, so a green CI never hides a skipped check.
 */
public final class RequiredTools {
  private RequiredTools() {}

  /** @return the program's path; aborts (laptop) or fails (CI) the calling test when it is not on the PATH */
  public static String require(String program, String why) {
    return require(program, why, System.getenv());
  }

  static String require(String program, String why, Map<String, String> env) {
    String found = find(program, env.getOrDefault("PATH", ""));
    if (found != null) {
      return found;
    }
    String reason = program + " is not on the PATH (" + why + ")";
    if ("true".equalsIgnoreCase(env.get("CI"))) {
      throw new AssertionError(reason + ": CI must have it; install it (see docs/architecture.md §10)");
    }
    throw new TestAbortedException(reason + ": test skipped on this machine");
  }

  static String find(String program, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      File candidate = new File(dir, program);
      if (candidate.isFile() && candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return null;
  }
}
