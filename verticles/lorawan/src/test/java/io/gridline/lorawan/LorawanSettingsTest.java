package io.gridline.lorawan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridline.lorawan.gateway.backend.mqtt.MqttBackendSettings;
import io.gridline.lrwn.frame.NetId;
import io.gridline.runtime.InvalidSetting;
import io.gridline.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lorawan verticle's settings come from {@code config/gridline.yaml} alone: no default is written in the code. */
class LorawanSettingsTest {
  /** {@code lorawan.*} keys read by other settings records: the gateway MQTT backend's and the ChirpStack push's. */
  private static final List<String> NOT_HERE = List.of("lorawan.mqtt.", "lorawan.chirpstack.");

  @Test
  void theDeclaredDefaultsAreTheSettings() {
    JsonObject d = TestConfig.defaults();
    LorawanSettings s = LorawanSettings.from(TestConfig.of(new JsonObject()));
    assertEquals(new LorawanSettings(d.getString("lorawan.host"), d.getInteger("lorawan.udp-port"),
        d.getInteger("lorawan.udp-receive-buffer-bytes"),
        NetId.fromHex(d.getString("lorawan.net-id")), d.getLong("lorawan.dedup-window-ms"),
        d.getBoolean("lorawan.accept-unknown-gateways"), d.getInteger("lorawan.rx1-delay-seconds"),
        d.getInteger("lorawan.max-retries"), d.getInteger("lorawan.frames-per-device"),
        d.getInteger("lorawan.integration-max-attempts"), d.getLong("lorawan.status-interval-ms"),
        d.getInteger("processor.dlq-max-rows-per-tenant"), Duration.parse(d.getString("processor.dlq-max-age")),
        d.getLong("processor.models-refresh-ms")), s);
  }

  @Test
  void everyLorawanKeyIsReadFromTheConfigAlone() {
    TestConfig.requireEveryKey(TestConfig.defaults(), TestConfig.declaredUnder("lorawan.").stream()
        .filter(k -> NOT_HERE.stream().noneMatch(k::startsWith)).toList(), LorawanSettings::from);
  }

  @Test
  void aBadNetIdOrRxDelayNamesItsKey() {
    assertEquals("lorawan.net-id", assertThrows(InvalidSetting.class,
        () -> LorawanSettings.from(TestConfig.of(new JsonObject().put("lorawan.net-id", "xyz")))).key());
    assertEquals("lorawan.rx1-delay-seconds", assertThrows(InvalidSetting.class,
        () -> LorawanSettings.from(TestConfig.of(new JsonObject().put("lorawan.rx1-delay-seconds", 16)))).key());
  }

  @Test
  void theGatewayBrokerSettingsAreTheDeclaredOnesAndABadUrlNamesItsKey() {
    JsonObject d = TestConfig.defaults();
    MqttBackendSettings s = MqttBackendSettings.from(TestConfig.of(new JsonObject().put("node.id", "n1")));
    assertEquals(new MqttBackendSettings(d.getBoolean("lorawan.mqtt.enabled"), "127.0.0.1", 1883, false,
        "gridline-lorawan-n1", Optional.empty(), Optional.empty(), d.getJsonArray("lorawan.mqtt.regions").getList(),
        d.getBoolean("lorawan.mqtt.shared-subscription")), s);
    TestConfig.requireEveryKey(TestConfig.defaults(), TestConfig.declaredUnder("lorawan.mqtt."),
        MqttBackendSettings::from);
    assertEquals("lorawan.mqtt.url", assertThrows(InvalidSetting.class, () -> MqttBackendSettings.from(
        TestConfig.of(new JsonObject().put("lorawan.mqtt.url", "http://broker:1883")))).key());
    assertEquals("lorawan.mqtt.regions", assertThrows(InvalidSetting.class, () -> MqttBackendSettings.from(
        TestConfig.of(new JsonObject().put("lorawan.mqtt.regions", "eu868/#")))).key());
  }
}
