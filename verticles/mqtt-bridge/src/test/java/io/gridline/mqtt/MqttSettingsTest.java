package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bridge's settings come from {@code config/gridline.yaml} alone: no default is written in the code. */
class MqttSettingsTest {
  private static final String TENANT = "6f1c2b3a-0000-4000-8000-000000000001";

  @Test
  void theDeclaredDefaultsAreTheSettings() {
    JsonObject d = TestConfig.defaults();
    MqttSettings s = MqttSettings.from(TestConfig.of(new JsonObject()));
    assertEquals(d.getString("mqtt.host"), s.host());
    assertEquals(d.getBoolean("mqtt.plain"), s.plain());
    assertEquals(d.getInteger("mqtt.port"), s.port());
    assertEquals(d.getInteger("mqtt.tls-port"), s.tlsPort());
    assertEquals(Optional.empty(), s.certPath());
    assertEquals(Optional.empty(), s.clientCaPath());
    assertEquals(d.getBoolean("mqtt.require-auth"), s.requireAuth());
    assertEquals(d.getInteger("mqtt.max-connections"), s.maxConnections());
    assertEquals(d.getInteger("mqtt.max-payload-bytes"), s.maxPayloadBytes());
    assertEquals(d.getInteger("mqtt.max-publish-rate"), s.maxPublishRate());
    assertEquals(d.getLong("mqtt.status-interval-ms"), s.statusIntervalMs());
    assertEquals(d.getBoolean("mqtt.tls.generate"), s.generateTls());
    assertEquals(d.getInteger("mqtt.max-subscriptions"), s.maxSubscriptions());
    assertEquals(d.getInteger("mqtt.max-subscribe-rate"), s.maxSubscribeRate());
    assertEquals(Duration.parse(d.getString("mqtt.session-expiry-max")), s.sessionExpiryMax());
    assertEquals(d.getInteger("mqtt.connect-rate-per-address"), s.connectRatePerAddress());
    assertEquals(Duration.parse(d.getString("mqtt.connect-timeout")), s.connectTimeout());
    assertEquals(d.getLong("mqtt.max-pending-bytes"), s.maxPendingBytes());
    assertEquals(d.getInteger("mqtt.max-pending-records"), s.maxPendingRecords());
    assertEquals(d.getBoolean("mqtt.tls.require-registered-certificate"), s.requireRegisteredCertificate());
  }

  @Test
  void everyKeyOfTheBridgeIsReadFromTheConfigAlone() {
    List<String> keys = new ArrayList<>(TestConfig.declaredUnder("mqtt.").stream()
        .filter(k -> !k.startsWith("mqtt.upstream.") && !k.startsWith("mqtt.device-ca.")).toList());
    // no client CA configured: the device CA's certificate is looked up instead
    keys.addAll(List.of("mqtt.device-ca.cert-path", "mqtt.device-ca.generate"));
    TestConfig.requireEveryKey(TestConfig.defaults(), keys, MqttSettings::from);
  }

  @Test
  void theUpstreamDefaultsAreTheSettings() {
    JsonObject d = TestConfig.defaults();
    UpstreamSettings s = UpstreamSettings.from(TestConfig.of(new JsonObject().put("mqtt.upstream.url", "tcp://b:1")
        .put("mqtt.upstream.tenants", TENANT)), 1024).orElseThrow();
    assertEquals("gridline-upstream-" + d.getString("cluster.name"), s.clientId());
    assertEquals(d.getInteger("mqtt.upstream.qos"), s.qos());
    assertEquals(d.getString("mqtt.upstream.shared-subscription").equals("true"), s.shared());
    assertEquals(Optional.empty(), s.username());
    assertEquals(Set.of(TENANT), s.tenants());
  }

  @Test
  void everyUpstreamKeyIsReadFromTheConfigAlone() {
    JsonObject complete = TestConfig.defaults().put("mqtt.upstream.url", "tcp://b:1")
        .put("mqtt.upstream.tenants", TENANT);
    List<String> keys = new ArrayList<>(TestConfig.declaredUnder("mqtt.upstream."));
    keys.add("cluster.name"); // the client id's default names the cluster
    TestConfig.requireEveryKey(complete, keys, c -> UpstreamSettings.from(c, 1024));
  }
}
