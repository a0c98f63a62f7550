package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.devservices.EmbeddedKafka;
import io.gridline.runtime.Readiness;
import io.gridline.testkit.TestStores;
import io.vertx.ext.healthchecks.CheckResult;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With Kafka down nothing is acknowledged, the bridge stays up and says why; once Kafka is back the publish lands.
 * What waits for Kafka is bounded: past {@code mqtt.max-pending-records} new publishes are refused, not buffered.
 */
class KafkaOutageTest {
  private BridgeFixture fixture;
  private EmbeddedKafka kafka;

  @AfterEach
  void stop() {
    fixture.close();
    kafka.close();
  }

  @Test
  void noPubackWhileKafkaIsDownThenTheRecordLands() throws Exception {
    fixture = new BridgeFixture();
    kafka = TestStores.ownKafka();
    MqttBridgeVerticle bridge = fixture.deploy(fixture.config(kafka.bootstrapServers()));
    BridgeFixture.Device d = fixture.device();
    MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + bridge.actualPort(), d.clientId(),
        new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setUserName(d.clientId());
    o.setPassword(fixture.issueSecret(d).toCharArray());
    c.connect(o).waitForCompletion(10_000);
    c.publish(d.statTopic(), Clients.payload("01"), 1, false).waitForCompletion(10_000); // warm: metadata known

    kafka.close();
    IMqttDeliveryToken pending = c.publish(d.statTopic(), Clients.payload("02"), 1, false);
    Thread.sleep(KafkaHealth.STALL_MS + 1_500);
    assertFalse(pending.isComplete(), "PUBACK before Kafka acknowledged");
    assertTrue(c.isConnected());
    CheckResult ready = BridgeFixture.await(Readiness.of(fixture.vertx).checks()
        .checkStatus(MqttBridgeVerticle.KAFKA_CHECK));
    assertEquals("DOWN", ready.getStatus().isOk() ? "UP" : "DOWN");
    assertTrue(String.valueOf(ready.toJson()).contains("Kafka"), ready.toJson().encode());

    kafka = TestStores.restart(kafka);
    pending.waitForCompletion(60_000);
    assertTrue(pending.isComplete());
    assertEquals(2, BridgeFixture.records(kafka.bootstrapServers(), Topics.TELEMETRY_RAW, d.mac(), 2,
        Duration.ofSeconds(15)).size());
    assertTrue(BridgeFixture.await(Readiness.of(fixture.vertx).checks().checkStatus(MqttBridgeVerticle.KAFKA_CHECK))
        .getStatus().isOk());
    c.disconnect().waitForCompletion(5_000);
    c.close();
  }

  @Test
  void pastThePendingLimitPublishesAreRefusedUntilKafkaCatchesUp() throws Exception {
    fixture = new BridgeFixture();
    kafka = TestStores.ownKafka();
    MqttBridgeVerticle bridge = fixture.deploy(fixture.config(kafka.bootstrapServers())
        .put("mqtt.max-pending-records", 3));
    int port = bridge.actualPort();
    BridgeFixture.Device d5 = fixture.device();
    BridgeFixture.Device d3 = fixture.device();
    org.eclipse.paho.mqttv5.client.MqttAsyncClient v5 = Clients.v5(port, d5.clientId(), fixture.issueSecret(d5));
    MqttAsyncClient v3 = new MqttAsyncClient("tcp://127.0.0.1:" + port, d3.clientId(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setUserName(d3.clientId());
    o.setPassword(fixture.issueSecret(d3).toCharArray());
    v3.connect(o).waitForCompletion(10_000);
    publish5(v5, d5, "00").waitForCompletion(10_000); // warm: metadata known, online events acknowledged
    KafkaBacklog backlog = KafkaBacklog.of(fixture.vertx);
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(10), backlog::records, n -> n == 0));
    double busyBefore = BridgeFixture.counted("gridline.mqtt.publish.refusals", "reason", "server-busy");

    kafka.close();
    java.util.List<org.eclipse.paho.mqttv5.client.IMqttToken> waiting = new java.util.ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      waiting.add(publish5(v5, d5, "0" + i));
    }
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), backlog::records, n -> n == 3), "3 records pending");
    // the fourth is refused at once with quota exceeded, and the connection stays
    org.eclipse.paho.mqttv5.client.IMqttToken refused = publish5(v5, d5, "04");
    refused.waitForCompletion(5_000);
    assertEquals(0x97, refused.getReasonCodes()[0]);
    assertTrue(v5.isConnected());
    // 3.1.1 cannot say no to a QoS 1 publish: the connection is closed without a PUBACK
    IMqttDeliveryToken closed = v3.publish(d3.statTopic(), Clients.payload("05"), 1, false);
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), v3::isConnected, connected -> !connected));
    assertFalse(closed.isComplete() && closed.getException() == null, "PUBACK for a refused publish");
    // QoS 0 is dropped; nothing more is pending
    v5.publish(d5.statTopic(), new org.eclipse.paho.mqttv5.common.MqttMessage(Clients.payload("06"), 0, false, null));
    Thread.sleep(300);
    assertTrue(backlog.records() <= 4, backlog.records() + " records pending"); // 3 + the 3.1.1 device's offline event
    assertTrue(BridgeFixture.counted("gridline.mqtt.publish.refusals", "reason", "server-busy") >= busyBefore + 3);
    waiting.forEach(t -> assertFalse(t.isComplete(), "PUBACK before Kafka acknowledged"));

    kafka = TestStores.restart(kafka);
    for (org.eclipse.paho.mqttv5.client.IMqttToken t : waiting) {
      t.waitForCompletion(60_000);
      assertEquals(0, t.getReasonCodes()[0]);
    }
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(10), backlog::records, n -> n == 0));
    org.eclipse.paho.mqttv5.client.IMqttToken accepted = publish5(v5, d5, "07");
    accepted.waitForCompletion(10_000);
    assertEquals(0, accepted.getReasonCodes()[0], "accepted again once Kafka caught up");
    // the warm-up, the three that waited and the last one; none of the refused
    assertEquals(5, BridgeFixture.records(kafka.bootstrapServers(), Topics.TELEMETRY_RAW, d5.mac(), 6,
        Duration.ofSeconds(5)).size());
    v5.disconnect().waitForCompletion(5_000);
    v5.close();
    v3.close();
  }

  private static org.eclipse.paho.mqttv5.client.IMqttToken publish5(org.eclipse.paho.mqttv5.client.MqttAsyncClient c,
      BridgeFixture.Device d, String hex) throws Exception {
    return c.publish(d.statTopic(), new org.eclipse.paho.mqttv5.common.MqttMessage(Clients.payload(hex), 1, false,
        null));
  }
}
