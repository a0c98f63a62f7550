package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.CommandResult.Outcome;
import io.gridline.contracts.mqtt.DeviceCommand;
import io.gridline.contracts.mqtt.MqttOwnership;
import io.gridline.contracts.node.NodeAddresses;
import io.gridline.testkit.TestStores;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A persistent session keeps its subscriptions: a device that subscribed, disconnected and reconnected with
 * session-present receives commands (sent to the node address exactly as the api's
 * {@code POST /api/v1/devices/{id}/commands} does) without subscribing again. A clean session starts without them:
 * the command is refused {@code NOT_SUBSCRIBED}, which the api answers with 409.
 */
class PersistentSubscriptionTest {
  private static BridgeFixture fixture;
  private static RedisAPI redis;
  private static String nodeId;
  private static int port;

  @BeforeAll
  static void start() {
    fixture = new BridgeFixture();
    nodeId = "session-sub-test-" + UUID.randomUUID();
    port = fixture.deploy(fixture.config().put("node.id", nodeId)).actualPort();
    redis = RedisAPI.api(Redis.createClient(fixture.vertx, TestStores.redisUrl()));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void aPersistentSessionsSubscriptionReceivesCommandsAfterAReconnect() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    Device3 first = Device3.connect(d, secret, false);
    assertFalse(first.sessionPresent);
    first.client.subscribe("cmnd/" + d.clientId() + "/#", 1);
    first.close();
    awaitOwner(d, null);

    Device3 again = Device3.connect(d, secret, false); // no SUBSCRIBE this time
    try {
      assertTrue(again.sessionPresent);
      awaitOwner(d, nodeId); // routable as if it had subscribed: the api finds this node
      CommandResult result = send(d, "relay/1", new byte[] {1, 2}, 2);
      assertEquals(Outcome.DELIVERED, result.outcome(), result.detail());
      Map.Entry<String, MqttMessage> got = again.received.poll(10, TimeUnit.SECONDS);
      assertNotNull(got, "the device received nothing");
      assertEquals("cmnd/" + d.clientId() + "/relay/1", got.getKey());
      assertArrayEquals(new byte[] {1, 2}, got.getValue().getPayload());
      assertEquals(1, got.getValue().getQos()); // the stored subscription's QoS caps the command's

      // an UNSUBSCRIBE is kept too
      again.client.unsubscribe("cmnd/" + d.clientId() + "/#");
    } finally {
      again.close();
    }
    Device3 third = Device3.connect(d, secret, false);
    try {
      assertTrue(third.sessionPresent);
      assertEquals(Outcome.NOT_SUBSCRIBED, send(d, "relay/1", new byte[] {1}, 1).outcome());
    } finally {
      third.close();
    }
  }

  @Test
  void aCleanSessionStartsWithoutTheEarlierSubscriptions() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    Device3 persistent = Device3.connect(d, secret, false);
    persistent.client.subscribe("cmnd/" + d.clientId() + "/#", 1);
    persistent.close();

    Device3 clean = Device3.connect(d, secret, true);
    try {
      assertFalse(clean.sessionPresent);
      awaitOwner(d, nodeId);
      CommandResult result = send(d, "power", new byte[] {1}, 1);
      assertEquals(Outcome.NOT_SUBSCRIBED, result.outcome(), result.detail()); // the api: 409
      assertNull(clean.received.poll(500, TimeUnit.MILLISECONDS));
    } finally {
      clean.close();
    }
    // the clean start also ended the persistent session: a later persistent connect finds nothing
    Device3 after = Device3.connect(d, secret, false);
    try {
      assertFalse(after.sessionPresent);
      assertEquals(Outcome.NOT_SUBSCRIBED, send(d, "power", new byte[] {1}, 1).outcome());
    } finally {
      after.close();
    }
  }

  @Test
  void anMqtt5SessionWithExpiryKeepsItsSubscriptions() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    BlockingQueue<Map.Entry<String, byte[]>> received = new LinkedBlockingQueue<>();
    MqttAsyncClient first = v5(d, secret, received);
    IMqttToken connected = first.connect(v5Options(d, secret, false));
    connected.waitForCompletion(10_000);
    assertFalse(connected.getSessionPresent());
    first.subscribe("cmnd/" + d.clientId() + "/+", 1).waitForCompletion(10_000);
    first.disconnect().waitForCompletion(10_000);
    first.close();
    awaitOwner(d, null);

    MqttAsyncClient again = v5(d, secret, received);
    try {
      IMqttToken resumed = again.connect(v5Options(d, secret, false));
      resumed.waitForCompletion(10_000);
      assertTrue(resumed.getSessionPresent());
      CommandResult result = send(d, "power", "ON".getBytes(StandardCharsets.UTF_8), 0);
      assertEquals(Outcome.DELIVERED, result.outcome(), result.detail());
      Map.Entry<String, byte[]> got = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(got, "the device received nothing");
      assertEquals("cmnd/" + d.clientId() + "/power", got.getKey());
      assertArrayEquals("ON".getBytes(StandardCharsets.UTF_8), got.getValue());
    } finally {
      again.disconnect().waitForCompletion(10_000);
      again.close();
    }
    // end the session: clean start
    MqttAsyncClient clean = v5(d, secret, received);
    IMqttToken fresh = clean.connect(v5Options(d, secret, true));
    fresh.waitForCompletion(10_000);
    assertFalse(fresh.getSessionPresent());
    assertEquals(Outcome.NOT_SUBSCRIBED, send(d, "power", new byte[] {1}, 0).outcome());
    clean.disconnect().waitForCompletion(10_000);
    clean.close();
  }

  // ---- helpers

  private static CommandResult send(BridgeFixture.Device device, String suffix, byte[] payload, int qos) {
    DeviceCommand command = new DeviceCommand(UUID.randomUUID().toString(), fixture.tenantId.toString(), device.id(),
        device.clientId(), "cmnd/" + device.clientId() + "/" + suffix, Base64.getEncoder().encodeToString(payload), qos);
    return BridgeFixture.await(fixture.vertx.eventBus().<CommandResult>request(
        NodeAddresses.nodeAddress(nodeId, MqttOwnership.VERTICLE), command, new DeliveryOptions().setSendTimeout(5000)))
        .body();
  }

  private static void awaitOwner(BridgeFixture.Device device, String expected) {
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), () -> {
      Response r = BridgeFixture.await(redis.get(MqttOwnership.ownerKey(device.id())));
      return r == null ? null : r.toString();
    }, owner -> java.util.Objects.equals(owner, expected)), "owner of " + device.id() + " is not " + expected);
  }

  /** A Paho 3.1.1 device whose callback collects every message, subscribed in this connection or not. */
  private record Device3(MqttClient client, boolean sessionPresent,
      BlockingQueue<Map.Entry<String, MqttMessage>> received) {
    static Device3 connect(BridgeFixture.Device d, String secret, boolean clean)
        throws org.eclipse.paho.client.mqttv3.MqttException {
      MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, d.clientId(), new MemoryPersistence());
      BlockingQueue<Map.Entry<String, MqttMessage>> received = new LinkedBlockingQueue<>();
      c.setCallback(new MqttCallback() {
        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void messageArrived(String topic, MqttMessage message) {
          received.add(Map.entry(topic, message));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}
      });
      MqttConnectOptions o = new MqttConnectOptions();
      o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      o.setCleanSession(clean);
      o.setConnectionTimeout(5);
      o.setUserName(d.clientId());
      o.setPassword(secret.toCharArray());
      c.setTimeToWait(10_000);
      boolean present = c.connectWithResult(o).getSessionPresent();
      return new Device3(c, present, received);
    }

    void close() throws org.eclipse.paho.client.mqttv3.MqttException {
      client.disconnect();
      client.close();
    }
  }

  private static MqttAsyncClient v5(BridgeFixture.Device d, String secret,
      BlockingQueue<Map.Entry<String, byte[]>> received) throws MqttException {
    MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + port, d.clientId(),
        new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    c.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse response) {}

      @Override
      public void mqttErrorOccurred(MqttException exception) {}

      @Override
      public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
        received.add(Map.entry(topic, message.getPayload()));
      }

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
    return c;
  }

  private static MqttConnectionOptions v5Options(BridgeFixture.Device d, String secret, boolean cleanStart) {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(cleanStart);
    o.setSessionExpiryInterval(cleanStart ? 0L : 300L);
    o.setConnectionTimeout(5);
    o.setUserName(d.clientId());
    o.setPassword(secret.getBytes(StandardCharsets.UTF_8));
    return o;
  }
}
