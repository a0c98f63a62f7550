package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.runtime.Meters;
import io.gridline.testkit.TestStores;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bridge with real Paho clients (3.1.1 and 5), real PostgreSQL and a real Kafka broker. */
class MqttBridgeTest {
  private static BridgeFixture fixture;
  private static int port;

  @BeforeAll
  static void start() {
    // without a node there is no Prometheus registry: count into a simple one
    io.micrometer.core.instrument.Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    fixture = new BridgeFixture();
    port = fixture.deploy(fixture.config()).actualPort();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void publishesOfEveryQosLandOnKafkaWithTheDocumentedJson() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    MqttClient client = Clients.v3(port, d.clientId(), secret, true);
    for (int qos = 0; qos <= 2; qos++) {
      client.publish(d.statTopic(), Clients.payload("00D7024E01F" + qos), qos, false);
    }
    client.disconnect();
    client.close();

    List<ConsumerRecord<String, byte[]>> records = BridgeFixture.records(TestStores.kafkaBootstrap(),
        Topics.TELEMETRY_RAW, d.mac(), 3, Duration.ofSeconds(15));
    assertEquals(3, records.size());
    for (int qos = 0; qos <= 2; qos++) {
      ConsumerRecord<String, byte[]> r = records.get(qos);
      JsonObject json = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
      assertEquals(d.mac(), r.key());
      assertEquals("1", new String(r.headers().lastHeader("schema").value(), StandardCharsets.UTF_8));
      assertEquals(fixture.tenantId.toString(), json.getString("tenantId"));
      assertEquals(d.id(), json.getLong("deviceId"));
      assertEquals(d.mac(), json.getString("mac"));
      assertEquals(d.statTopic(), json.getString("topic"));
      assertEquals(d.clientId(), json.getString("clientId"));
      assertEquals(qos, json.getInteger("qos"));
      assertArrayEquals(Clients.payload("00D7024E01F" + qos), Base64.getDecoder().decode(json.getString("payload")));
      assertTrue(json.getString("receivedAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), json.encode());
    }
  }

  @Test
  void unregisteredClientsAndWrongSecretsAreNotAuthorized() throws Exception {
    BridgeFixture.Device d = fixture.device();
    fixture.issueSecret(d);
    MqttException wrong = assertThrows(MqttException.class, () -> Clients.v3(port, d.clientId(), "gld_wrong", true));
    assertEquals(5, wrong.getReasonCode());
    MqttException none = assertThrows(MqttException.class, () -> Clients.v3(port, d.clientId(), null, true));
    assertEquals(5, none.getReasonCode());
    MqttException unregistered = assertThrows(MqttException.class,
        () -> Clients.v3(port, "f2-0000000000ff", "gld_x", true));
    assertEquals(5, unregistered.getReasonCode());
    var v5 = assertThrows(org.eclipse.paho.mqttv5.common.MqttException.class,
        () -> Clients.v5(port, d.clientId(), "gld_wrong"));
    assertEquals(0x87, v5.getReasonCode());
    var notAnId = assertThrows(org.eclipse.paho.mqttv5.common.MqttException.class,
        () -> Clients.v5(port, "sensor-1", "gld_x"));
    assertEquals(0x87, notAnId.getReasonCode());
  }

  @Test
  void rotatingTheSecretLocksTheOldOneOut() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String first = fixture.issueSecret(d);
    Clients.v3(port, d.clientId(), first, true).disconnect();
    String second = fixture.issueSecret(d);
    // what the api publishes after a rotation: the bridge drops its cached entry
    fixture.vertx.eventBus().publish(io.gridline.contracts.registry.RegistryAddresses.DEVICE_CHANGED,
        new io.gridline.contracts.registry.DeviceChanged(d.id(), fixture.tenantId.toString(), "mqtt", d.mac(),
            io.gridline.contracts.registry.DeviceChanged.Change.UPDATED));
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), () -> {
      try {
        Clients.v3(port, d.clientId(), first, true).disconnect();
        return false;
      } catch (MqttException e) {
        return e.getReasonCode() == 5;
      }
    }, refused -> refused));
    MqttClient ok = Clients.v3(port, d.clientId(), second, true);
    assertTrue(ok.isConnected());
    ok.disconnect();
  }

  @Test
  void deletingTheDeviceEndsItsConnection() throws Exception {
    BridgeFixture.Device d = fixture.device();
    MqttClient client = Clients.v3(port, d.clientId(), fixture.issueSecret(d), true);
    fixture.row("DELETE FROM devices WHERE id = $1", d.id());
    fixture.vertx.eventBus().publish(io.gridline.contracts.registry.RegistryAddresses.DEVICE_CHANGED,
        new io.gridline.contracts.registry.DeviceChanged(d.id(), fixture.tenantId.toString(), "mqtt", d.mac(),
            io.gridline.contracts.registry.DeviceChanged.Change.DELETED));
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), client::isConnected, c -> !c));
    client.close();
    MqttException gone = assertThrows(MqttException.class, () -> Clients.v3(port, d.clientId(), "gld_x", true));
    assertEquals(5, gone.getReasonCode());
  }

  @Test
  void aclRefusesForeignTopicsInBothVersions() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    double before = aclRefusals("publish") + aclRefusals("subscribe");

    // 3.1.1 SUBSCRIBE outside cmnd/<own id>/ → 0x80; own subtree granted
    MqttClient v3 = Clients.v3(port, d.clientId(), secret, true);
    assertEquals(1, v3.subscribeWithResponse("cmnd/" + d.clientId() + "/#", 1).getGrantedQos()[0]);
    int refusedQos;
    try {
      refusedQos = v3.subscribeWithResponse("cmnd/f2-000000000001/#", 1).getGrantedQos()[0];
    } catch (MqttException e) {
      refusedQos = e.getReasonCode();
    }
    assertEquals(0x80, refusedQos);
    // 3.1.1 PUBLISH outside → disconnect
    assertThrows(MqttException.class, () -> v3.publish("stat/f2-000000000001/x", Clients.payload("00"), 1, false));
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), v3::isConnected, c -> !c));
    v3.close();

    // MQTT 5: reason 0x87 on PUBACK, PUBREC and SUBACK; the connection stays up
    MqttAsyncClient v5 = Clients.v5(port, d.clientId(), secret);
    assertEquals(0x87, publishReason(v5, "tele/f2-000000000001/x", 1));
    // QoS 2: Paho does not surface PUBREC's reason code on the token; the refusal is counted below
    publishReason(v5, "cmnd/" + d.clientId() + "/x", 2);
    IMqttToken sub = v5.subscribe(new MqttSubscription("#", 1));
    try {
      sub.waitForCompletion(5_000);
    } catch (org.eclipse.paho.mqttv5.common.MqttException ignored) {
      // some Paho versions raise on a failed SUBACK; the reason codes still tell
    }
    assertEquals(0x87, sub.getReasonCodes()[0]);
    assertTrue(v5.isConnected());
    assertEquals(0, publishReason(v5, "tele/" + d.clientId() + "/state", 1));
    v5.disconnect().waitForCompletion(5_000);
    v5.close();

    assertEquals(before + 5, aclRefusals("publish") + aclRefusals("subscribe"), 0.001);
  }

  @Test
  void oversizePayloadsAreRefused() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    byte[] big = new byte[2048];

    MqttAsyncClient v5 = Clients.v5(port, d.clientId(), secret);
    try {
      v5.publish(d.statTopic(), new MqttMessage(big, 1, false, null)).waitForCompletion(5_000);
    } catch (org.eclipse.paho.mqttv5.common.MqttException expected) {
      // the server disconnects with 0x95
    }
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), v5::isConnected, c -> !c));
    v5.close();

    MqttClient v3 = Clients.v3(port, d.clientId(), secret, true);
    assertThrows(MqttException.class, () -> v3.publish(d.statTopic(), big, 1, false));
    v3.close();
    assertTrue(Meters.registry().counter("gridline.mqtt.publish.refusals", "reason", "payload-too-large").count() >= 2);
    assertTrue(BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, d.mac(), 1,
        Duration.ofSeconds(2)).isEmpty());
  }

  @Test
  void connectAndDisconnectAnnounceTheDevice() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    MqttClient client = Clients.v3(port, d.clientId(), secret, true);
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5),
        () -> fixture.row("SELECT status FROM devices WHERE id = $1", d.id()).getString(0), "online"::equals));
    assertNotNull(fixture.row("SELECT last_seen_at FROM devices WHERE id = $1", d.id()).getValue(0));
    client.disconnect();
    client.close();
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5),
        () -> fixture.row("SELECT status FROM devices WHERE id = $1", d.id()).getString(0), "offline"::equals));

    List<ConsumerRecord<String, byte[]>> events = BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.EVENTS,
        Long.toString(d.id()), 2, Duration.ofSeconds(15));
    assertEquals(2, events.size());
    JsonObject online = new JsonObject(new String(events.get(0).value(), StandardCharsets.UTF_8));
    JsonObject offline = new JsonObject(new String(events.get(1).value(), StandardCharsets.UTF_8));
    assertEquals("device.online", online.getString("type"));
    assertEquals("device.offline", offline.getString("type"));
    assertEquals(fixture.tenantId.toString(), online.getString("tenantId"));
    assertEquals(d.id(), online.getLong("deviceId"));
    assertEquals("mqtt", online.getString("deviceKind"));
    assertEquals(5, java.util.UUID.fromString(online.getString("eventId")).version());
    assertFalse(online.getString("eventId").equals(offline.getString("eventId")));
  }

  @Test
  void aTakenPortNamesItsKey() {
    int taken = port;
    var err = assertThrows(Throwable.class, () -> fixture.deploy(fixture.config().put("mqtt.port", taken)));
    Throwable t = err;
    while (t != null && !(t instanceof io.gridline.runtime.PortInUseException)) {
      t = t.getCause();
    }
    assertNotNull(t, String.valueOf(err));
    assertTrue(t.getMessage().contains("mqtt.port"));
  }

  private static int publishReason(MqttAsyncClient c, String topic, int qos) throws Exception {
    IMqttToken t = c.publish(topic, new MqttMessage(Clients.payload("00"), qos, false, null));
    try {
      t.waitForCompletion(5_000);
    } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
      return e.getReasonCode();
    }
    int[] codes = t.getReasonCodes();
    return codes == null || codes.length == 0 ? 0 : codes[0];
  }

  private static double aclRefusals(String action) {
    return Meters.registry().counter("gridline.mqtt.acl.refusals", "action", action).count();
  }
}
