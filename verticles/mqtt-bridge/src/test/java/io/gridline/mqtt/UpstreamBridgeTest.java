package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.devservices.EmbeddedKafka;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.StoreClients;
import io.gridline.testkit.TestStores;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Upstream bridge mode against the real Mosquitto on 127.0.0.1:1883 (docs/architecture.md §10): devices publish to that
 * broker with
 * Paho, the bridge forwards to real Kafka. Each test has its own upstream client id and random MACs, so other traffic
 * on the shared broker does not disturb it; the persistent session is cleaned up afterwards.
 */
class UpstreamBridgeTest {
  private static final String BROKER = "tcp://127.0.0.1:1883";
  private BridgeFixture fixture;
  private String upstreamId;

  @BeforeEach
  void start() {
    requireMosquitto();
    Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    fixture = new BridgeFixture();
    upstreamId = "gridline-upstream-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
      endSession(upstreamId);
    }
  }

  /** A clean session ends the test's persistent one, so Mosquitto stops queueing for it. */
  private static void endSession(String clientId) throws Exception {
    MqttClient c = new MqttClient(BROKER, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    c.connect(o);
    c.disconnect();
    c.close();
  }

  @Test
  void aRegisteredDevicesMessageLandsOnKafkaLikeADevicePublish() throws Exception {
    fixture.deploy(config());
    BridgeFixture.Device d = fixture.device();
    fixture.awaitUpstreamLink();

    publish(d.statTopic(), Clients.payload("00D7024E01F4"));

    List<ConsumerRecord<String, byte[]>> records = BridgeFixture.records(TestStores.kafkaBootstrap(),
        Topics.TELEMETRY_RAW, d.mac(), 1, Duration.ofSeconds(10));
    assertEquals(1, records.size());
    JsonObject json = new JsonObject(new String(records.get(0).value(), StandardCharsets.UTF_8));
    assertEquals(d.mac(), records.get(0).key());
    assertEquals(fixture.tenantId.toString(), json.getString("tenantId"));
    assertEquals(d.id(), json.getLong("deviceId"));
    assertEquals(d.mac(), json.getString("mac"));
    assertEquals(d.statTopic(), json.getString("topic"));
    assertEquals(d.clientId(), json.getString("clientId"));
    assertEquals(1, json.getInteger("qos"));
    assertArrayEquals(Clients.payload("00D7024E01F4"), Base64.getDecoder().decode(json.getString("payload")));
  }

  @Test
  void unknownDevicesAndMalformedTopicsAreDroppedAndCounted() throws Exception {
    fixture.deploy(config());
    BridgeFixture.Device known = fixture.device();
    fixture.awaitUpstreamLink();
    double unknownBefore = dropped("unknown-device");
    double malformedBefore = dropped("malformed-topic");

    String unknownMac = "0e:" + known.mac().substring(3); // never registered
    publish("stat/f2-" + unknownMac.replace(":", "") + "/sensor-mode/1/sensor-1", Clients.payload("00D7"));
    publish("tele/not-a-device/sensor-mode/1/sensor-1", Clients.payload("00D7"));
    publish(known.statTopic(), Clients.payload("00D8"));

    assertEquals(1, BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, known.mac(), 1,
        Duration.ofSeconds(10)).size());
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), () -> dropped("unknown-device"),
        n -> n >= unknownBefore + 1));
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), () -> dropped("malformed-topic"),
        n -> n >= malformedBefore + 1));
    assertEquals(0, BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, unknownMac, 1,
        Duration.ofSeconds(2)).size());
  }

  @Test
  void aDeviceOfATenantNotListedIsAcknowledgedAndDroppedAsForeignTenant() throws Exception {
    fixture.deploy(config());
    BridgeFixture.Device foreign = fixture.device(fixture.tenant());
    BridgeFixture.Device own = fixture.device();
    fixture.awaitUpstreamLink();
    double before = dropped("foreign-tenant");

    publish(foreign.statTopic(), Clients.payload("00D7"));
    publish(own.statTopic(), Clients.payload("00D8"));

    assertEquals(1, BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, own.mac(), 1,
        Duration.ofSeconds(10)).size());
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), () -> dropped("foreign-tenant"), n -> n >= before + 1));
    assertEquals(0, BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, foreign.mac(), 1,
        Duration.ofSeconds(2)).size());
  }

  @Test
  void withoutTheTenantsListTheBridgeDoesNotStartAndNamesTheKey() {
    JsonObject config = config();
    config.put("mqtt.upstream.tenants", ""); // unset, as in the declared file
    Throwable err = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> fixture.deploy(config));
    String messages = "";
    for (Throwable t = err; t != null; t = t.getCause()) {
      messages += t.getMessage() + " | ";
    }
    assertTrue(messages.contains("mqtt.upstream.tenants"), messages);
  }

  @Test
  void twoBridgesForwardEachMessageOnceAndTheStandbyTakesOver() throws Exception {
    JsonObject config = config();
    // the instances share a named pool whose connections belong to whichever instance created it: created here, it
    // survives undeploying one of them
    Pool shared = StoreClients.pg(fixture.vertx, GridlineConfig.of(config));
    String first = fixture.deployId(config);
    fixture.deploy(config);
    BridgeFixture.Device d = fixture.device();
    fixture.awaitUpstreamLink();

    for (int i = 0; i < 5; i++) {
      publish(d.statTopic(), Clients.payload("00D7024E01F" + i));
    }
    // ask for one more than sent: a second forwarder would show up as extra records
    assertEquals(5, BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, d.mac(), 6,
        Duration.ofSeconds(3)).size());

    BridgeFixture.await(fixture.vertx.undeploy(first));
    for (int i = 5; i < 8; i++) {
      publish(d.statTopic(), Clients.payload("00D7024E01F" + i));
    }
    assertEquals(8, BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, d.mac(), 9,
        Duration.ofSeconds(3)).size());
    BridgeFixture.await(shared.close());
  }

  @Test
  void withSharedSubscriptionsTheBrokerGivesEachMessageToOneNode() throws Exception {
    JsonObject config = config().put("mqtt.upstream.shared-subscription", "true");
    fixture.deploy(config.copy().put("node.id", "node-a"));
    fixture.deploy(config.copy().put("node.id", "node-b"));
    BridgeFixture.Device d = fixture.device();
    fixture.awaitUpstreamLink();
    try {
      for (int i = 0; i < 6; i++) {
        publish(d.statTopic(), Clients.payload("00D7024E01F" + i));
      }
      assertEquals(6, BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, d.mac(), 7,
          Duration.ofSeconds(3)).size());
    } finally {
      fixture.close();
      endSession(upstreamId + "-node-a");
      endSession(upstreamId + "-node-b");
      fixture = null;
    }
  }

  @Test
  void messagesPublishedWhileTheForwarderIsStoppedArriveAfterItRestarts() throws Exception {
    JsonObject config = config();
    String id = fixture.deployId(config);
    BridgeFixture.Device d = fixture.device();
    fixture.awaitUpstreamLink();
    BridgeFixture.await(fixture.vertx.undeploy(id));

    for (int i = 0; i < 3; i++) {
      publish(d.statTopic(), Clients.payload("00D7024E01F" + i)); // queued by Mosquitto in the persistent session
    }
    fixture.deploy(config);

    List<ConsumerRecord<String, byte[]>> records = BridgeFixture.records(TestStores.kafkaBootstrap(),
        Topics.TELEMETRY_RAW, d.mac(), 3, Duration.ofSeconds(15));
    assertEquals(3, records.size());
    assertArrayEquals(Clients.payload("00D7024E01F0"),
        Base64.getDecoder().decode(new JsonObject(new String(records.get(0).value(), StandardCharsets.UTF_8))
            .getString("payload")));
  }

  @Test
  void noPubackUpstreamWhileKafkaHasNotAcknowledged() throws Exception {
    EmbeddedKafka kafka = TestStores.ownKafka();
    try {
      fixture.deploy(config().put("kafka.bootstrap-servers", kafka.bootstrapServers()));
      BridgeFixture.Device d = fixture.device();
      fixture.awaitUpstreamLink();
      publish(d.statTopic(), Clients.payload("01")); // warm: the producer knows the topic's metadata
      assertEquals(1, BridgeFixture.records(kafka.bootstrapServers(), Topics.TELEMETRY_RAW, d.mac(), 1,
          Duration.ofSeconds(10)).size());

      kafka.close();
      publish(d.statTopic(), Clients.payload("02"));
      Thread.sleep(1_000);
      // resuming the forwarder's session shows what the broker still holds: an unacknowledged message is redelivered
      java.util.concurrent.CompletableFuture<String> redelivered = new java.util.concurrent.CompletableFuture<>();
      MqttClient peek = new MqttClient(BROKER, upstreamId, new MemoryPersistence());
      peek.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
        @Override
        public void connectionLost(Throwable cause) { }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
          if (topic.equals(d.statTopic())) {
            redelivered.complete(new String(message.getPayload(), StandardCharsets.UTF_8));
          }
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) { }
      });
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(false);
      peek.connect(o);
      assertArrayEquals(Clients.payload("02"), redelivered.get(5, java.util.concurrent.TimeUnit.SECONDS)
          .getBytes(StandardCharsets.UTF_8), "PUBACK before Kafka acknowledged");
      if (peek.isConnected()) {
        peek.disconnect();
      }
      peek.close();
      kafka = TestStores.restart(kafka); // lets the pending send finish so the bridge stops cleanly
    } finally {
      fixture.close();
      fixture = new BridgeFixture(); // @AfterEach closes one and ends the session
      kafka.close();
    }
  }

  @Test
  void readinessSaysWhyWhileTheUpstreamBrokerIsUnreachable() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    fixture.deploy(config().put("mqtt.upstream.url", "tcp://127.0.0.1:" + closedPort));
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(10), fixture::upstreamProblem,
        p -> p != null && p.contains("unreachable")), fixture.upstreamProblem());
    assertTrue(fixture.upstreamProblem().contains("127.0.0.1:" + closedPort), fixture.upstreamProblem());
  }

  // ---- helpers

  private JsonObject config() {
    return fixture.config().put("mqtt.upstream.url", BROKER).put("mqtt.upstream.client-id", upstreamId)
        .put("mqtt.upstream.qos", 1).put("mqtt.upstream.shared-subscription", "auto")
        .put("mqtt.upstream.tenants", fixture.tenantId.toString());
  }

  private static void publish(String topic, byte[] payload) throws Exception {
    MqttClient c = new MqttClient(BROKER, "device-" + UUID.randomUUID().toString().substring(0, 8),
        new MemoryPersistence());
    c.connect();
    c.publish(topic, payload, 1, false);
    c.disconnect();
    c.close();
  }

  private static double dropped(String reason) {
    var counter = Metrics.globalRegistry.find("gridline.mqtt.upstream.dropped").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  /** {@code RequiredTools} semantics for the shared broker: skipped on a laptop without it, failed under CI. */
  private static void requireMosquitto() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 1883), 1_000);
    } catch (Exception e) {
      String reason = "no MQTT broker on 127.0.0.1:1883 (mosquitto, docs/architecture.md §10)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(reason + ": CI must have it");
      }
      throw new TestAbortedException(reason + ": test skipped on this machine");
    }
  }
}
