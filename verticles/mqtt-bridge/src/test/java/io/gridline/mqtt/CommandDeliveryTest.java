package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge's half of commands down: ownership in Redis follows the connection, and a {@link DeviceCommand} sent to
 * the node address reaches the subscribed device (the api's half and the two-node route are tested in api and node).
 */
class CommandDeliveryTest {
  private static BridgeFixture fixture;
  private static RedisAPI redis;
  private static String nodeId;
  private static int port;

  @BeforeAll
  static void start() {
    fixture = new BridgeFixture();
    nodeId = "cmd-test-" + UUID.randomUUID();
    port = fixture.deploy(fixture.config().put("node.id", nodeId)).actualPort();
    redis = RedisAPI.api(Redis.createClient(fixture.vertx, TestStores.redisUrl()));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static String owner(BridgeFixture.Device device) {
    Response r = BridgeFixture.await(redis.get(MqttOwnership.ownerKey(device.id())));
    return r == null ? null : r.toString();
  }

  private static CommandResult send(BridgeFixture.Device device, String suffix, byte[] payload, int qos) {
    DeviceCommand command = new DeviceCommand(UUID.randomUUID().toString(), fixture.tenantId.toString(), device.id(),
        device.clientId(), "cmnd/" + device.clientId() + "/" + suffix, Base64.getEncoder().encodeToString(payload), qos);
    return BridgeFixture.await(fixture.vertx.eventBus().<CommandResult>request(
        NodeAddresses.nodeAddress(nodeId, MqttOwnership.VERTICLE), command, new DeliveryOptions().setSendTimeout(5000)))
        .body();
  }

  @Test
  void ownershipFollowsTheConnectionAndCommandsReachTheSubscription() throws Exception {
    BridgeFixture.Device device = fixture.device();
    assertEquals(Outcome.OFFLINE, send(device, "power", new byte[] {1}, 1).outcome());

    MqttClient c = Clients.v3(port, device.clientId(), fixture.issueSecret(device), true);
    awaitOwner(device, nodeId);
    long ttl = BridgeFixture.await(redis.pttl(MqttOwnership.ownerKey(device.id()))).toLong();
    assertEquals(true, ttl > 0 && ttl <= MqttOwnership.OWNER_TTL_MS, "ttl " + ttl);

    assertEquals(Outcome.NOT_SUBSCRIBED, send(device, "power", new byte[] {1}, 1).outcome());

    BlockingQueue<Map.Entry<String, MqttMessage>> received = new LinkedBlockingQueue<>();
    c.subscribe("cmnd/" + device.clientId() + "/relay/+", 2, (t, m) -> received.add(Map.entry(t, m)));
    assertEquals(Outcome.NOT_SUBSCRIBED, send(device, "power", new byte[] {1}, 1).outcome());
    CommandResult result = send(device, "relay/2", new byte[] {0, (byte) 0xff}, 2);
    assertEquals(Outcome.DELIVERED, result.outcome(), result.detail());
    Map.Entry<String, MqttMessage> got = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(got);
    assertEquals("cmnd/" + device.clientId() + "/relay/2", got.getKey());
    assertArrayEquals(new byte[] {0, (byte) 0xff}, got.getValue().getPayload());
    assertEquals(2, got.getValue().getQos()); // the QoS 2 flow completed (PUBREC → PUBREL → PUBCOMP)

    c.unsubscribe("cmnd/" + device.clientId() + "/relay/+");
    assertEquals(Outcome.NOT_SUBSCRIBED, send(device, "relay/2", new byte[] {1}, 1).outcome());

    c.disconnect();
    c.close();
    awaitOwner(device, null);
    assertEquals(Outcome.OFFLINE, send(device, "relay/2", new byte[] {1}, 1).outcome());
  }

  @Test
  void aCommandTheRegistryDoesNotConfirmIsRefusedWithoutReachingTheDevice() throws Exception {
    BridgeFixture.Device device = fixture.device();
    MqttClient c = Clients.v3(port, device.clientId(), fixture.issueSecret(device), true);
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    c.subscribe("cmnd/" + device.clientId() + "/#", 1, (t, m) -> received.add(t));
    awaitOwner(device, nodeId);
    String payload = Base64.getEncoder().encodeToString(new byte[] {1});
    // another tenant named, another device's topic, a forged device id: each refused by the receiving node
    for (DeviceCommand forged : List.of(
        new DeviceCommand(UUID.randomUUID().toString(), UUID.randomUUID().toString(), device.id(), device.clientId(),
            "cmnd/" + device.clientId() + "/power", payload, 1),
        new DeviceCommand(UUID.randomUUID().toString(), fixture.tenantId.toString(), device.id(), device.clientId(),
            "cmnd/f2-000000000000/power", payload, 1),
        new DeviceCommand(UUID.randomUUID().toString(), fixture.tenantId.toString(), device.id(), "f2-000000000000",
            "cmnd/f2-000000000000/power", payload, 1))) {
      CommandResult r = BridgeFixture.await(fixture.vertx.eventBus().<CommandResult>request(
          NodeAddresses.nodeAddress(nodeId, MqttOwnership.VERTICLE), forged,
          new DeliveryOptions().setSendTimeout(5000))).body();
      assertEquals(Outcome.REFUSED, r.outcome(), r.detail());
    }
    assertEquals(Outcome.DELIVERED, send(device, "power", new byte[] {1}, 1).outcome(), "the genuine one goes out");
    assertEquals("cmnd/" + device.clientId() + "/power", received.poll(10, TimeUnit.SECONDS));
    assertNull(received.poll(500, TimeUnit.MILLISECONDS), "no forged command reached the device");
    c.disconnect();
    c.close();
  }

  @Test
  void aDisconnectLeavesAnotherNodesClaimAlone() throws Exception {
    BridgeFixture.Device device = fixture.device();
    MqttClient c = Clients.v3(port, device.clientId(), fixture.issueSecret(device), true);
    awaitOwner(device, nodeId);
    // the device reconnected elsewhere and that node claimed it before this connection's end was noticed
    BridgeFixture.await(redis.set(List.of(MqttOwnership.ownerKey(device.id()), "other-node", "PX", "60000")));
    c.disconnect();
    c.close();
    Thread.sleep(500);
    assertEquals("other-node", owner(device));
    BridgeFixture.await(redis.del(List.of(MqttOwnership.ownerKey(device.id()))));
    assertNull(owner(device));
  }

  private static void awaitOwner(BridgeFixture.Device device, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!java.util.Objects.equals(owner(device), expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(expected, owner(device));
  }
}
