package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.runtime.GridlineConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamSettingsTest {
  private static UpstreamSettings parse(JsonObject c) {
    return UpstreamSettings.from(GridlineConfig.of(c.put("node.id", "n1")), 1024).orElseThrow();
  }

  @Test
  void anEmptyUrlTurnsTheModeOff() {
    assertTrue(UpstreamSettings.from(GridlineConfig.of(new JsonObject().put("mqtt.upstream.url", "")), 1024).isEmpty());
    assertTrue(UpstreamSettings.from(GridlineConfig.of(new JsonObject()), 1024).isEmpty());
  }

  @Test
  void defaultsElectOneForwarderWithAStableClientIdPerCluster() {
    UpstreamSettings s = parse(new JsonObject().put("mqtt.upstream.url", "tcp://broker:1883")
        .put("cluster.name", "site-a"));
    assertEquals("gridline-upstream-site-a", s.clientId());
    assertFalse(s.shared());
    assertEquals(1, s.qos());
    assertEquals(List.of("stat/+/+/+/+", "tele/+/+/+/+"), List.copyOf(s.subscriptions().keySet()));
    assertFalse(s.clientOptions().isCleanSession());
    assertFalse(s.clientOptions().isAutoAck());
  }

  @Test
  void sharedSubscriptionsUseTheShareGroupAndOneSessionPerNode() {
    UpstreamSettings s = parse(new JsonObject().put("mqtt.upstream.url", "ssl://user:pw@broker")
        .put("mqtt.upstream.client-id", "up").put("mqtt.upstream.shared-subscription", "true"));
    assertTrue(s.ssl());
    assertEquals(8883, s.port());
    assertEquals("ssl://broker:8883", s.display());
    assertEquals("up-n1", s.clientId());
    assertEquals(List.of("$share/gridline/stat/+/+/+/+", "$share/gridline/tele/+/+/+/+"),
        List.copyOf(s.subscriptions().keySet()));
  }

  @Test
  void badValuesStopTheStartWithTheKey() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> parse(new JsonObject().put("mqtt.upstream.url", "http://broker")));
    assertTrue(e.getMessage().contains("mqtt.upstream.url"));
    assertThrows(IllegalArgumentException.class, () -> parse(new JsonObject().put("mqtt.upstream.url", "tcp://b:1")
        .put("mqtt.upstream.shared-subscription", "maybe")));
    assertThrows(IllegalArgumentException.class, () -> parse(new JsonObject().put("mqtt.upstream.url", "tcp://b:1")
        .put("mqtt.upstream.qos", 2)));
  }
}
