package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.runtime.config.DeclaredKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class GridlineConfigTest {

  @Test
  void integerNeverWrapsAValueBeyondTheIntRange() {
    GridlineConfig config = GridlineConfig.of(new JsonObject().put("big", 4_294_967_302L).put("text", "4294967302")
        .put("fits", 6).put("fitsAsText", "6").put("fraction", 1.5));
    assertEquals(6, config.integer("fits"));
    assertEquals(6, config.integer("fitsAsText"));
    assertThrows(IllegalStateException.class, () -> config.integer("big"));
    assertThrows(IllegalStateException.class, () -> config.integer("text"));
    assertThrows(IllegalStateException.class, () -> config.integer("fraction"));
    assertEquals(4_294_967_302L, config.longValue("big"));
  }

  @Test
  void typedReadersReturnTheValueAsDeclared() {
    GridlineConfig config = GridlineConfig.of(new JsonObject().put("n", 5).put("text-n", " 7 ").put("zero", 0)
        .put("port", 0).put("off", -1).put("flag", true).put("flag-text", "false").put("d", "PT0.05S")
        .put("empty", "").put("list", "a, b,,c").put("array", new JsonArray().add("x").add("y"))
        .put("protocol", "sasl_ssl"));
    assertEquals(5, config.positiveInt("n"));
    assertEquals(7L, config.positiveLong("text-n"));
    assertEquals(0, config.nonNegativeInt("zero"));
    assertEquals(0L, config.nonNegativeLong("zero"));
    assertEquals(0, config.port("port"));
    assertEquals(-1, config.portOrOff("off"));
    assertTrue(config.bool("flag"));
    assertFalse(config.bool("flag-text"));
    assertEquals(Duration.ofMillis(50), config.duration("d"));
    assertEquals(Optional.empty(), config.optDuration("empty"));
    assertEquals(Duration.ZERO, GridlineConfig.of(new JsonObject().put("o", "PT0S")).nonNegativeDuration("o"));
    assertEquals(Optional.empty(), config.optString("empty"));
    assertEquals(List.of("a", "b", "c"), config.list("list"));
    assertEquals(List.of("x", "y"), config.list("array"));
    assertEquals("SASL_SSL", config.choice("protocol", List.of("PLAINTEXT", "SASL_SSL")));
  }

  @Test
  void everyTypedReaderFailsTheSameWayNamingTheKeyAndItsEnvironmentVariable() {
    GridlineConfig config = GridlineConfig.of(new JsonObject().put("a.zero", 0).put("a.negative", -3)
        .put("a.big", 4_294_967_302L).put("a.text", "many").put("a.fraction", 1.5).put("a.port", 70_000)
        .put("a.flag", "yes").put("a.duration", "10 s").put("a.zero-duration", "PT0S").put("a.blank", " ")
        .put("a.choice", "TLS"));
    List<Map.Entry<String, Consumer<String>>> readers = List.of(
        Map.entry("a.zero", config::positiveInt),
        Map.entry("a.negative", config::nonNegativeLong),
        Map.entry("a.big", config::positiveInt),
        Map.entry("a.text", config::positiveLong),
        Map.entry("a.fraction", config::nonNegativeInt),
        Map.entry("a.port", config::port),
        Map.entry("a.negative", config::portOrOff),
        Map.entry("a.flag", config::bool),
        Map.entry("a.duration", config::duration),
        Map.entry("a.zero-duration", config::duration),
        Map.entry("a.blank", config::string),
        Map.entry("a.choice", key -> config.choice(key, List.of("PLAINTEXT", "SSL"))));
    for (Map.Entry<String, Consumer<String>> reader : readers) {
      String key = reader.getKey();
      InvalidSetting e = assertThrows(InvalidSetting.class, () -> reader.getValue().accept(key), key);
      assertEquals(key, e.key());
      assertTrue(e.getMessage().startsWith("invalid value for " + key + " (env " + EnvNames.forKey(key) + "): "),
          e.getMessage());
    }
  }

  @Test
  void aKeyMissingFromTheConfigFailsEvenWhereTheFileSaysEmpty() {
    GridlineConfig config = GridlineConfig.of(new JsonObject());
    List<Consumer<String>> readers = List.of(config::optString, config::list, config::bool, config::positiveInt,
        config::optDuration, config::string);
    for (Consumer<String> read : readers) {
      InvalidSetting e = assertThrows(InvalidSetting.class, () -> read.accept("mqtt.upstream.url"));
      assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
    // what the node hands a verticle holds every declared key
    GridlineConfig declared = GridlineConfig.of(DeclaredKeys.bundled().defaults());
    assertEquals(Optional.empty(), declared.optString("mqtt.upstream.url"));
    assertEquals(1883, declared.portOrOff("mqtt.port"));
  }
}
