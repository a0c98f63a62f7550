package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
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
}
