package io.gridline.api.devices;

import static io.gridline.api.ApiFixture.await;
import static io.gridline.api.ApiFixture.invalid;
import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.DeviceCommand;
import io.gridline.contracts.mqtt.MqttOwnership;
import io.gridline.contracts.node.NodeAddresses;
import io.gridline.testkit.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The api's half of commands down: validation, tenancy, ownership lookup and the request/reply to the owner's address.
 * A stand-in consumer plays the owning bridge here; the real bridge on another clustered node is in the node module's
 * {@code CommandRoutingTest}.
 */
@ExtendWith(VertxExtension.class)
class CommandRoutesTest {
  private static ApiFixture api;
  private static Vertx vertx;
  private static RedisAPI redis;
  private static String writeKey;
  private static String readKey;
  private static String otherKey;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    api = ApiFixture.start(v);
    redis = RedisAPI.api(Redis.createClient(v, TestStores.redisUrl()));
    ApiFixture.TenantKeys keys = api.tenantWithKeys("commands");
    String tenant = keys.tenantId();
    writeKey = keys.writeKey();
    readKey = keys.readKey();
    otherKey = keys.otherKey();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static String path(long id) {
    return "/api/v1/devices/" + id + "/commands";
  }

  private static long mqttDevice(String mac) {
    long id = api.createDevice(writeKey, "mqtt", mac, "cmd " + mac).getLong("id");
    await(redis.del(List.of(MqttOwnership.ownerKey(id)))); // device ids restart per test database; Redis is shared
    return id;
  }

  /** Plays the bridge on node {@code node}: answers every command with {@code outcome} and keeps what it got. */
  private static MessageConsumer<DeviceCommand> owner(long deviceId, String node, CommandResult.Outcome outcome,
      BlockingQueue<DeviceCommand> got) {
    await(redis.set(List.of(MqttOwnership.ownerKey(deviceId), node, "PX", "60000")));
    MessageConsumer<DeviceCommand> c = vertx.eventBus().consumer(NodeAddresses.nodeAddress(node, MqttOwnership.VERTICLE),
        m -> {
          got.add(m.body());
          m.reply(new CommandResult(m.body().commandId(), outcome, outcome.name().toLowerCase()));
        });
    await(c.completion());
    return c;
  }

  @Test
  void aCommandGoesToTheOwningNodeAndReturnsItsId() throws Exception {
    long id = mqttDevice("aa:bb:cc:10:00:01");
    BlockingQueue<DeviceCommand> got = new LinkedBlockingQueue<>();
    MessageConsumer<DeviceCommand> c = owner(id, "node-" + UUID.randomUUID(), CommandResult.Outcome.DELIVERED, got);
    try {
      HttpResponse<Buffer> r = api.post(path(id), writeKey, new JsonObject().put("topic", "relay/1")
          .put("payload", Base64.getEncoder().encodeToString(new byte[] {1, 2, (byte) 0xff})).put("encoding", "base64")
          .put("qos", 2));
      assertEquals(202, r.statusCode(), r.bodyAsString());
      DeviceCommand sent = got.poll(5, TimeUnit.SECONDS);
      assertEquals(r.bodyAsJsonObject().getString("commandId"), sent.commandId());
      assertEquals("cmnd/f2-aabbcc100001/relay/1", sent.topic());
      assertEquals("AQL/", sent.payloadBase64());
      assertEquals(2, sent.qos());
      assertEquals(id, sent.deviceId());

      r = api.post(path(id), writeKey, new JsonObject().put("topic", "power").put("payload", "ON"));
      assertEquals(202, r.statusCode(), r.bodyAsString());
      sent = got.poll(5, TimeUnit.SECONDS);
      assertEquals(Base64.getEncoder().encodeToString("ON".getBytes()), sent.payloadBase64());
      assertEquals(1, sent.qos()); // the default
    } finally {
      await(c.unregister());
    }
  }

  @Test
  void aSentCommandIsReadableInTheSharedLifecycle() throws Exception {
    long id = mqttDevice("aa:bb:cc:10:00:09");
    MessageConsumer<DeviceCommand> c = owner(id, "node-" + UUID.randomUUID(), CommandResult.Outcome.DELIVERED,
        new LinkedBlockingQueue<>());
    try {
      String commandId = api.post(path(id), writeKey, new JsonObject().put("topic", "relay/3").put("payload", "ON")
          .put("qos", 0)).bodyAsJsonObject().getString("commandId");
      HttpResponse<Buffer> r = api.call(io.vertx.core.http.HttpMethod.GET, "/api/v1/commands/" + commandId,
          readKey, null);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject command = r.bodyAsJsonObject();
      assertEquals(commandId, command.getString("id"));
      assertEquals(id, command.getLong("deviceId"));
      assertEquals("mqtt", command.getString("deviceKind"));
      assertEquals("mqtt.publish", command.getString("type"));
      assertEquals("sent", command.getString("status"));
      assertEquals(1, command.getInteger("attempts"));
      assertEquals("cmnd/f2-aabbcc100009/relay/3", command.getJsonObject("payload").getString("topic"));
      assertTrue(command.getString("sentAt").endsWith("Z"));

      JsonObject list = api.call(io.vertx.core.http.HttpMethod.GET, path(id) + "?status=sent", readKey,
          null).bodyAsJsonObject();
      assertEquals(1, list.getLong("total"));
      assertEquals(commandId, list.getJsonArray("items").getJsonObject(0).getString("id"));
      assertEquals(0, api.call(io.vertx.core.http.HttpMethod.GET, path(id) + "?status=queued", readKey,
          null).bodyAsJsonObject().getLong("total"));
      problem(api.call(io.vertx.core.http.HttpMethod.GET, path(id) + "?status=bogus", readKey, null), 400);
      problem(api.call(io.vertx.core.http.HttpMethod.GET, "/api/v1/commands/" + commandId, otherKey, null),
          404);
      problem(api.call(io.vertx.core.http.HttpMethod.GET, path(id), otherKey, null), 404);
    } finally {
      await(c.unregister());
    }
  }

  @Test
  void notSubscribedIsAConflict() {
    long id = mqttDevice("aa:bb:cc:10:00:02");
    MessageConsumer<DeviceCommand> c = owner(id, "node-" + UUID.randomUUID(), CommandResult.Outcome.NOT_SUBSCRIBED,
        new LinkedBlockingQueue<>());
    try {
      JsonObject p = problem(api.post(path(id), writeKey, new JsonObject().put("topic", "power")), 409);
      assertTrue(p.getString("detail").contains("subscribed"), p.encode());
    } finally {
      await(c.unregister());
    }
  }

  @Test
  void anOfflineDeviceIsAConflict() {
    long id = mqttDevice("aa:bb:cc:10:00:03");
    JsonObject p = problem(api.post(path(id), writeKey, new JsonObject().put("topic", "power")), 409);
    assertTrue(p.getString("detail").contains("offline"), p.encode());
    // an owner entry left by a node that died: nobody consumes its address
    await(redis.set(List.of(MqttOwnership.ownerKey(id), "node-gone-" + UUID.randomUUID(), "PX", "60000")));
    p = problem(api.post(path(id), writeKey, new JsonObject().put("topic", "power")), 409);
    assertTrue(p.getString("detail").contains("offline"), p.encode());
  }

  @Test
  void onlyMqttDevicesTakeCommands() {
    long id = api.createDevice(writeKey, "lorawan", "70b3d57ed0000001", "lora").getLong("id");
    JsonObject p = problem(api.post(path(id), writeKey, new JsonObject().put("topic", "power")), 409);
    assertTrue(p.getString("detail").contains("mqtt"), p.encode());
  }

  @Test
  void anotherTenantsDeviceIsNotFoundAndAReadKeyIsForbidden() {
    long id = mqttDevice("aa:bb:cc:10:00:04");
    problem(api.post(path(id), otherKey, new JsonObject().put("topic", "power")), 404);
    problem(api.post(path(id), readKey, new JsonObject().put("topic", "power")), 403);
    problem(api.post(path(999_999), writeKey, new JsonObject().put("topic", "power")), 404);
  }

  @Test
  void badTopicsPayloadsAndQosAreRejectedNamingTheField() {
    long id = mqttDevice("aa:bb:cc:10:00:05");
    for (String topic : List.of("a/#", "+/x", "a//b", "/a", "a/", "x".repeat(201), "")) {
      invalid(api.post(path(id), writeKey, new JsonObject().put("topic", topic)), "topic");
    }
    invalid(api.post(path(id), writeKey, new JsonObject()), "topic");
    invalid(api.post(path(id), writeKey, new JsonObject().put("topic", "a").put("qos", 3)), "qos");
    invalid(api.post(path(id), writeKey, new JsonObject().put("topic", "a").put("payload", "%%").put("encoding", "base64")),
        "payload");
    invalid(api.post(path(id), writeKey, new JsonObject().put("topic", "a").put("encoding", "hex")), "encoding");
    invalid(api.post(path(id), writeKey, new JsonObject().put("topic", "a").put("retain", true)), "retain");
  }
}
