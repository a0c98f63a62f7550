package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamSettingsTest {
  private static final String TENANT = "6f1c2b3a-0000-4000-8000-000000000001";

  private static UpstreamSettings parse(JsonObject c) {
    if (!c.containsKey("mqtt.upstream.tenants")) {
      c.put("mqtt.upstream.tenants", TENANT);
    }
    return UpstreamSettings.from(TestConfig.of(c.put("node.id", "n1")), 1024).orElseThrow();
  }

  @Test
  void anEmptyUrlTurnsTheModeOff() {
    assertTrue(UpstreamSettings.from(TestConfig.of(new JsonObject().put("mqtt.upstream.url", "")), 1024).isEmpty());
    assertTrue(UpstreamSettings.from(TestConfig.of(new JsonObject()), 1024).isEmpty());
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
  void theTenantsListIsRequiredAndHoldsUuids() {
    var missing = assertThrows(IllegalArgumentException.class,
        () -> parse(new JsonObject().put("mqtt.upstream.url", "tcp://b:1").put("mqtt.upstream.tenants", "")));
    assertTrue(missing.getMessage().contains("mqtt.upstream.tenants"), missing.getMessage());
    var notUuid = assertThrows(IllegalArgumentException.class,
        () -> parse(new JsonObject().put("mqtt.upstream.url", "tcp://b:1").put("mqtt.upstream.tenants", "acme")));
    assertTrue(notUuid.getMessage().contains("mqtt.upstream.tenants"), notUuid.getMessage());
    UpstreamSettings s = parse(new JsonObject().put("mqtt.upstream.url", "tcp://b:1")
        .put("mqtt.upstream.tenants", TENANT.toUpperCase() + ", 6f1c2b3a-0000-4000-8000-000000000002"));
    assertTrue(s.forwardsTenant(TENANT));
    assertTrue(s.forwardsTenant("6f1c2b3a-0000-4000-8000-000000000002"));
    assertFalse(s.forwardsTenant("6f1c2b3a-0000-4000-8000-000000000003"));
  }

  @Test
  void tlsFilesNeedAnSslUrlAndACertificateNeedsItsKey() {
    var plainUrl = assertThrows(IllegalArgumentException.class, () -> parse(new JsonObject()
        .put("mqtt.upstream.url", "tcp://b:1").put("mqtt.upstream.tls.trust-path", "/ca.pem")));
    assertTrue(plainUrl.getMessage().contains("ssl://"), plainUrl.getMessage());
    var noKey = assertThrows(IllegalArgumentException.class, () -> parse(new JsonObject()
        .put("mqtt.upstream.url", "ssl://b:1").put("mqtt.upstream.tls.cert-path", "/c.pem")));
    assertTrue(noKey.getMessage().contains("mqtt.upstream.tls.key-path"), noKey.getMessage());
    var options = parse(new JsonObject().put("mqtt.upstream.url", "ssl://b:1")
        .put("mqtt.upstream.tls.trust-path", "/ca.pem").put("mqtt.upstream.tls.cert-path", "/c.pem")
        .put("mqtt.upstream.tls.key-path", "/k.pem")).clientOptions();
    assertTrue(options.isSsl());
    assertEquals("HTTPS", options.getHostnameVerificationAlgorithm());
    assertTrue(options.getTrustOptions() instanceof io.vertx.core.net.PemTrustOptions);
    assertTrue(options.getKeyCertOptions() instanceof io.vertx.core.net.PemKeyCertOptions);
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
