package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.devservices.TestStores;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Settings that need their own deployment: connection and rate limits, auth off, will messages. */
class BridgeLimitsTest {
  private BridgeFixture fixture;

  @BeforeEach
  void start() {
    fixture = new BridgeFixture();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void connectionsOverTheLimitAreRefused() throws Exception {
    int port = fixture.deploy(fixture.config().put("mqtt.max-connections", 1)).actualPort();
    BridgeFixture.Device a = fixture.device();
    BridgeFixture.Device b = fixture.device();
    MqttClient first = Clients.v3(port, a.clientId(), fixture.issueSecret(a), true);
    String secretB = fixture.issueSecret(b);
    MqttException v3 = assertThrows(MqttException.class, () -> Clients.v3(port, b.clientId(), secretB, true));
    assertEquals(3, v3.getReasonCode()); // server unavailable
    var v5 = assertThrows(org.eclipse.paho.mqttv5.common.MqttException.class,
        () -> Clients.v5(port, b.clientId(), secretB));
    assertEquals(0x97, v5.getReasonCode()); // quota exceeded
    first.disconnect();
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), () -> {
      try {
        Clients.v3(port, b.clientId(), secretB, true).disconnect();
        return true;
      } catch (MqttException e) {
        return false;
      }
    }, ok -> ok));
  }

  @Test
  void publishesOverTheRateAreRefusedWithQuotaExceeded() throws Exception {
    int port = fixture.deploy(fixture.config().put("mqtt.max-publish-rate", 2)).actualPort();
    BridgeFixture.Device d = fixture.device();
    MqttAsyncClient c = Clients.v5(port, d.clientId(), fixture.issueSecret(d));
    int refused = 0;
    for (int i = 0; i < 6; i++) {
      IMqttToken t = c.publish(d.statTopic(), new MqttMessage(Clients.payload("0" + i), 1, false, null));
      try {
        t.waitForCompletion(5_000);
        int[] codes = t.getReasonCodes();
        refused += codes != null && codes.length > 0 && codes[0] == 0x97 ? 1 : 0;
      } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
        refused += e.getReasonCode() == 0x97 ? 1 : 0;
      }
    }
    assertTrue(refused >= 3, "refused " + refused);
    assertTrue(c.isConnected());
    c.disconnect().waitForCompletion(5_000);
    c.close();
  }

  @Test
  void withoutRequiredAuthRegisteredDevicesNeedNoSecret() throws Exception {
    int port = fixture.deploy(fixture.config().put("mqtt.require-auth", false)).actualPort();
    BridgeFixture.Device d = fixture.device();
    MqttClient c = Clients.v3(port, d.clientId(), null, true);
    c.publish(d.statTopic(), Clients.payload("01"), 1, false);
    c.disconnect();
    MqttException unregistered = assertThrows(MqttException.class,
        () -> Clients.v3(port, "f2-0000000000fe", null, true));
    assertEquals(5, unregistered.getReasonCode());
  }

  @Test
  void aWillIsPublishedUnderTheAclWhenTheConnectionDrops() throws Exception {
    int port = fixture.deploy(fixture.config()).actualPort();
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    String willTopic = "tele/" + d.clientId() + "/LWT";
    MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, d.clientId(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setUserName(d.clientId());
    o.setPassword(secret.toCharArray());
    o.setWill(willTopic, "Offline".getBytes(StandardCharsets.UTF_8), 1, false);
    c.connect(o);
    c.disconnectForcibly(0, 100, false); // no DISCONNECT packet: the server must publish the will
    c.close();

    List<ConsumerRecord<String, byte[]>> records = BridgeFixture.records(TestStores.kafkaBootstrap(),
        Topics.TELEMETRY_RAW, d.mac(), 1, Duration.ofSeconds(15));
    assertEquals(1, records.size());
    JsonObject json = new JsonObject(new String(records.get(0).value(), StandardCharsets.UTF_8));
    assertEquals(willTopic, json.getString("topic"));
    assertEquals("T2ZmbGluZQ==", json.getString("payload"));
  }

  @Test
  void aWillOutsideTheAclIsDropped() throws Exception {
    int port = fixture.deploy(fixture.config()).actualPort();
    BridgeFixture.Device d = fixture.device();
    MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, d.clientId(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(d.clientId());
    o.setPassword(fixture.issueSecret(d).toCharArray());
    o.setWill("tele/f2-000000000001/LWT", "Offline".getBytes(StandardCharsets.UTF_8), 1, false);
    c.connect(o);
    c.disconnectForcibly(0, 100, false);
    c.close();
    assertTrue(BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, d.mac(), 1,
        Duration.ofSeconds(3)).isEmpty());
  }

  @Test
  void aCleanDisconnectPublishesNoWill() throws Exception {
    int port = fixture.deploy(fixture.config()).actualPort();
    BridgeFixture.Device d = fixture.device();
    MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, d.clientId(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(d.clientId());
    o.setPassword(fixture.issueSecret(d).toCharArray());
    o.setWill("tele/" + d.clientId() + "/LWT", "Offline".getBytes(StandardCharsets.UTF_8), 1, false);
    c.connect(o);
    c.disconnect();
    c.close();
    assertFalse(!BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, d.mac(), 1,
        Duration.ofSeconds(3)).isEmpty());
  }
}
