package io.gridline.testkit;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.InvalidSetting;
import io.gridline.runtime.config.DeclaredKeys;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Configs as the node resolves them, for tests and benchmarks: every key declared in {@code config/gridline.yaml} with
 * its default, then the test's own values on top. No default is written in a test: a changed default in the file is the
 * default the tests run with.
 */
public final class TestConfig {
  /** The {@code node.id} of test configs (a node derives one from its host name and ops port). */
  public static final String NODE_ID = "test-node";

  private TestConfig() {}

  /** Every declared key with its declared default, and {@code node.id} {@value #NODE_ID}. A fresh copy per call. */
  public static JsonObject defaults() {
    return DeclaredKeys.bundled().defaults().put("node.id", NODE_ID);
  }

  /** {@link #defaults()} with {@code overrides} on top. */
  public static JsonObject with(JsonObject overrides) {
    return defaults().mergeIn(overrides.copy());
  }

  /** {@link #with} as the typed view a settings record reads. */
  public static GridlineConfig of(JsonObject overrides) {
    return GridlineConfig.of(with(overrides));
  }

  /** The declared keys that start with {@code prefix} (e.g. {@code "processor."}), in file order. */
  public static List<String> declaredUnder(String prefix) {
    return DeclaredKeys.bundled().all().stream().map(DeclaredKeys.Key::name).filter(k -> k.startsWith(prefix)).toList();
  }

  /**
   * Checks that {@code read} (a settings record's {@code from}) takes each of {@code keys} from the config and from
   * nowhere else: with that one key missing from {@code complete}, it must fail with {@link InvalidSetting} naming the
   * key. A default written into the record ({@code has(k) ? … : 10_000}) would read on silently, and fail this check.
   *
   * @throws AssertionError naming the first key read with a fallback, or never read
   */
  public static void requireEveryKey(JsonObject complete, Collection<String> keys, Function<GridlineConfig, ?> read) {
    read.apply(GridlineConfig.of(complete.copy()));
    for (String key : keys) {
      JsonObject without = complete.copy();
      if (without.remove(key) == null && !complete.containsKey(key)) {
        throw new AssertionError(key + " is not in the complete config the check starts from");
      }
      try {
        read.apply(GridlineConfig.of(without));
      } catch (InvalidSetting e) {
        if (!e.key().equals(key)) {
          throw new AssertionError("without " + key + " the settings failed on " + e.key() + ": " + e.getMessage(), e);
        }
        continue;
      }
      throw new AssertionError("the settings read on without " + key + ": a default written in the code, or a key "
          + "they never read (declared in config/gridline.yaml, the one place for defaults)");
    }
  }
}
