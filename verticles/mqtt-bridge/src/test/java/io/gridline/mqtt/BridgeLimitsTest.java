package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.testkit.TestStores;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.net.Socket;
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

/**
 * Settings that need their own deployment: connection, rate and subscription limits, the connect timeout, auth off,
 * will messages, and what refusals write to the log.
 */
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
  void subscriptionsOverTheSessionsQuotaAreRefusedWithQuotaExceeded() throws Exception {
    int port = fixture.deploy(fixture.config().put("mqtt.max-subscriptions", 2)).actualPort();
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    String cmnd = "cmnd/" + d.clientId() + "/";
    double before = BridgeFixture.counted("gridline.mqtt.subscribe.refusals", "reason", "subscription-quota");

    try (Device5 v5 = Device5.connect(port, d, secret)) {
      assertArrayEquals(new int[] {1, 1, 0x97}, v5.subscribe(1, cmnd + "a", cmnd + "b", cmnd + "c"));
      // a filter the session holds is replaced, not added: still within the quota
      assertArrayEquals(new int[] {0}, v5.subscribe(0, cmnd + "a"));
    }

    MqttClient v3 = Clients.v3(port, d.clientId(), secret, true);
    int[] granted = v3.subscribeWithResponse(new String[] {cmnd + "a", cmnd + "b", cmnd + "c"}, new int[] {1, 1, 1})
        .getGrantedQos();
    assertArrayEquals(new int[] {1, 1, 0x80}, granted); // 0x80 is the only refusal 3.1.1 has
    assertTrue(v3.isConnected());
    v3.disconnect();
    assertEquals(before + 2, BridgeFixture.counted("gridline.mqtt.subscribe.refusals", "reason", "subscription-quota"));
  }

  @Test
  void subscriptionsOverTheRateAreRefusedWithQuotaExceeded() throws Exception {
    int port = fixture.deploy(fixture.config().put("mqtt.max-subscribe-rate", 2)).actualPort();
    BridgeFixture.Device d = fixture.device();
    String cmnd = "cmnd/" + d.clientId() + "/";
    double before = BridgeFixture.counted("gridline.mqtt.subscribe.refusals", "reason", "subscribe-rate");
    try (Device5 c = Device5.connect(port, d, fixture.issueSecret(d))) {
      // one SUBSCRIBE carrying many filters spends one token per filter
      assertArrayEquals(new int[] {1, 1, 0x97, 0x97}, c.subscribe(1, cmnd + "a", cmnd + "b", cmnd + "c", cmnd + "d"));
      Thread.sleep(1_100); // the bucket refills; the connection stayed
      assertArrayEquals(new int[] {1}, c.subscribe(1, cmnd + "c"));
    }
    assertEquals(before + 2, BridgeFixture.counted("gridline.mqtt.subscribe.refusals", "reason", "subscribe-rate"));
  }

  @Test
  void connectsOverTheRatePerAddressAreRefusedWithConnectionRateExceeded() throws Exception {
    int port = fixture.deploy(fixture.config().put("mqtt.connect-rate-per-address", 2)).actualPort();
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    double before = BridgeFixture.counted("gridline.mqtt.connect.refusals", "reason", "connect-rate");
    Clients.v3(port, d.clientId(), secret, true).disconnect();

    // raw CONNECTs empty the address's bucket just before each client connects; a client slow to start (class
    // loading) may find a token again, so it tries a few times
    assertEquals(3, refusedAfterSpending(port, () -> Clients.v3(port, d.clientId(), secret, true).disconnect()));
    assertEquals(0x9F, refusedAfterSpending(port, () -> { // connection rate exceeded (3.1.1: server unavailable)
      var c = Clients.v5(port, d.clientId(), secret);
      c.disconnect().waitForCompletion(5_000);
      c.close();
    }));
    assertTrue(BridgeFixture.counted("gridline.mqtt.connect.refusals", "reason", "connect-rate") >= before + 2);

    Thread.sleep(1_100); // the address's bucket refills
    Clients.v3(port, d.clientId(), secret, true).disconnect();
  }

  @Test
  void aSocketThatSendsNoConnectIsClosedAfterTheConnectTimeout() throws Exception {
    int port = fixture.deploy(fixture.config().put("mqtt.connect-timeout", "PT1S")).actualPort();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      long started = System.nanoTime();
      assertEquals(-1, s.getInputStream().read(), "the server sent something instead of closing");
      long waitedMs = (System.nanoTime() - started) / 1_000_000;
      assertTrue(waitedMs >= 800 && waitedMs < 5_000, "closed after " + waitedMs + " ms");
    }
  }

  @Test
  void refusedConnectsAreLoggedEscapedAndWithinABudget() throws Exception {
    int port = fixture.deploy(fixture.config()).actualPort();
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    long started = System.nanoTime();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 100; i++) {
        try (Socket s = new Socket("127.0.0.1", port)) {
          s.setSoTimeout(5_000);
          // a forged log line in the client id: it must not start a line of its own
          s.getOutputStream().write(RawPackets.connect("f2-bad\nFORGED " + i, "x"));
          assertEquals(0x20, s.getInputStream().read()); // CONNACK (refused)
        }
      }
      Thread.sleep(200);
    } finally {
      System.setErr(stderr);
    }
    // the budget is per wall-clock second: the run may touch one more second than it lasted
    long seconds = (System.nanoTime() - started) / 1_000_000_000L + 2;
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    List<String> refusals = lines.stream().filter(l -> l.contains("CONNECT from")).toList();
    assertFalse(refusals.isEmpty());
    assertTrue(refusals.get(0).contains("\"f2-bad\\u000aFORGED "), refusals.get(0));
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("FORGED")), "a forged line reached the log");
    assertTrue(refusals.size() <= 20 * seconds, refusals.size() + " lines in " + seconds + " s");
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

  interface Connect {
    void run() throws Exception;
  }

  /** The CONNACK code of a refused {@code connect} run right after the address's bucket was emptied. */
  private static int refusedAfterSpending(int port, Connect connect) throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      spendConnects(port, 3);
      try {
        connect.run();
      } catch (MqttException e) {
        return e.getReasonCode();
      } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
        return e.getReasonCode();
      }
    }
    throw new AssertionError("never refused");
  }

  /** {@code n} CONNECTs from 127.0.0.1, each answered (refused: unknown client id, or over the rate). */
  private static void spendConnects(int port, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(5_000);
        s.getOutputStream().write(RawPackets.connect("spender", "x"));
        assertEquals(0x20, s.getInputStream().read());
      }
    }
  }

  /** A raw MQTT 5 connection of a device (see {@link RawPackets} for why not Paho's). */
  private record Device5(Socket socket, DataInputStream in) implements AutoCloseable {
    static Device5 connect(int port, BridgeFixture.Device d, String secret) throws Exception {
      Socket s = new Socket("127.0.0.1", port);
      s.setSoTimeout(5_000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      s.getOutputStream().write(RawPackets.connect5(d.clientId(), secret));
      RawPackets.Packet connack = RawPackets.readPacket(in);
      assertEquals(0x20, connack.type());
      assertEquals(0, connack.body()[1], "CONNACK reason");
      return new Device5(s, in);
    }

    /** Subscribes each filter at {@code qos} in one SUBSCRIBE; the SUBACK's reason codes. */
    int[] subscribe(int qos, String... filters) throws Exception {
      socket.getOutputStream().write(RawPackets.subscribe(1, true, qos, filters));
      return RawPackets.subackCodes(RawPackets.readPacket(in), true);
    }

    @Override
    public void close() throws Exception {
      socket.getOutputStream().write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT
      socket.close();
    }
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
