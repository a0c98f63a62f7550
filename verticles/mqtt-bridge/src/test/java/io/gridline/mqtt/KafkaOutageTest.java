package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.devservices.EmbeddedKafka;
import io.gridline.devservices.TestStores;
import io.gridline.runtime.Readiness;
import io.vertx.ext.healthchecks.CheckResult;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With Kafka down nothing is acknowledged, the bridge stays up and says why; once Kafka is back the publish lands. */
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
}
