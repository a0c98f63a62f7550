package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.devservices.FreePorts;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commands down across the cluster: node A runs only the api, node B only mqtt-bridge. A real MQTT device (Paho)
 * connected to B receives a command posted to A's REST API; B's ownership entry in Redis routes it there. Both nodes
 * are configured with one device CA: a certificate issued by A's api connects to B's TLS listener over mTLS.
 */
class CommandRoutingTest {
  private static Node a;
  private static Node b;
  private static int apiPort;
  private static int mqttPort;
  private static int tlsPort;
  private static SelfSignedCertificate server;
  private static String writeKey;

  @BeforeAll
  static void formCluster() throws Exception {
    TestNodes.ClusterEnv cluster = TestNodes.cluster("command-test", "cmd-node-a-" + UUID.randomUUID(),
        "cmd-node-b-" + UUID.randomUUID());
    Map<String, String> envA = cluster.a();
    Map<String, String> envB = cluster.b();
    mqttPort = FreePorts.find();
    envB.put("GRIDLINE_MQTT_PORT", Integer.toString(mqttPort));
    // mTLS: B's listener trusts the device CA that A's api signs with (one CA, configured on both nodes)
    Path caDir = TestNodes.tempDir("gridline-command-test-ca-");
    DeviceCertificateAuthority.loadOrGenerate(caDir);
    for (Map<String, String> env : List.of(envA, envB)) {
      env.put("GRIDLINE_MQTT_DEVICE_CA_CERT_PATH", caDir.resolve("device-ca.crt.pem").toString());
      env.put("GRIDLINE_MQTT_DEVICE_CA_KEY_PATH", caDir.resolve("device-ca.key.pem").toString());
    }
    server = SelfSignedCertificate.create("localhost");
    tlsPort = FreePorts.find();
    envB.put("GRIDLINE_MQTT_TLS_PORT", Integer.toString(tlsPort));
    envB.put("GRIDLINE_MQTT_TLS_CERT_PATH", server.certificatePath());
    envB.put("GRIDLINE_MQTT_TLS_KEY_PATH", server.privateKeyPath());
    envB.put("GRIDLINE_DEVSERVICES_DATA_DIR", TestNodes.tempDir("gridline-command-test-b-").toString());
    apiPort = Integer.parseInt(envA.get("GRIDLINE_API_PORT"));

    // one after the other: two nodes migrating the same fresh database at once can race in Flyway's baseline
    a = Node.start(new NodeOptions().setEnv(envA).setArgs("--cluster", "--verticles", "api")).await(90, TimeUnit.SECONDS);
    b = Node.start(new NodeOptions().setEnv(envB).setArgs("--cluster", "--verticles", "mqtt-bridge"))
        .await(90, TimeUnit.SECONDS);
    for (Node n : List.of(a, b)) {
      TestNodes.await(n.opsPort(), "/cluster", r -> TestNodes.json(r).getJsonArray("members").size() == 2,
          Duration.ofSeconds(30));
    }
    writeKey = TestNodes.tenantWriteKey(apiPort, envA.get("GRIDLINE_API_ADMIN_KEY"), "command-test");
  }

  @AfterAll
  static void stopNodes() {
    TestNodes.stop(b);
    TestNodes.stop(a);
    server.delete();
  }

  @Test
  void aCommandPostedOnOneNodeReachesTheDeviceConnectedToTheOther() throws Exception {
    String mac = randomMac();
    String clientId = "f2-" + mac.replace(":", "");
    long id = createMqttDevice(mac, "relay");
    String secret = TestNodes.json(TestNodes.expect(201, api("POST", "/api/v1/devices/" + id + "/credentials", writeKey, null)))
        .getString("secret");
    String commands = "/api/v1/devices/" + id + "/commands";
    JsonObject power = new JsonObject().put("topic", "power").put("payload", "ON").put("qos", 1);

    TestNodes.expect(409, api("POST", commands, writeKey, power)); // not connected yet

    MqttClient device = new MqttClient("tcp://127.0.0.1:" + mqttPort, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setUserName(clientId);
    o.setPassword(secret.toCharArray());
    device.setTimeToWait(10_000);
    device.connect(o);
    try {
      // connected but not subscribed: the bridge sends nothing and says why
      TestNodes.sleep(300);
      HttpResponse<String> notSubscribed = TestNodes.expect(409, api("POST", commands, writeKey, power));
      assertTrue(notSubscribed.body().contains("subscribed"), notSubscribed.body());

      BlockingQueue<Map.Entry<String, MqttMessage>> received = new LinkedBlockingQueue<>();
      device.subscribe("cmnd/" + clientId + "/#", 1, (topic, message) -> received.add(Map.entry(topic, message)));
      HttpResponse<String> sent = TestNodes.expect(202, api("POST", commands, writeKey, power));
      assertNotNull(UUID.fromString(TestNodes.json(sent).getString("commandId")));
      Map.Entry<String, MqttMessage> got = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(got, "the device received nothing");
      assertEquals("cmnd/" + clientId + "/power", got.getKey());
      assertArrayEquals("ON".getBytes(), got.getValue().getPayload());
      assertEquals(1, got.getValue().getQos());
    } finally {
      device.disconnect();
      device.close();
    }
    // the bridge released its ownership at disconnect
    TestNodes.sleep(500);
    HttpResponse<String> offline = TestNodes.expect(409, api("POST", commands, writeKey, power));
    assertTrue(offline.body().contains("offline"), offline.body());
  }

  /** A persistent session's subscription survives a reconnect without SUBSCRIBE; a clean session starts without it. */
  @Test
  void aPersistentSessionKeepsItsSubscriptionAcrossAReconnect() throws Exception {
    String mac = randomMac();
    String clientId = "f2-" + mac.replace(":", "");
    long id = createMqttDevice(mac, "persistent");
    String secret = TestNodes.json(TestNodes.expect(201, api("POST", "/api/v1/devices/" + id + "/credentials", writeKey, null)))
        .getString("secret");
    String commands = "/api/v1/devices/" + id + "/commands";
    JsonObject power = new JsonObject().put("topic", "power").put("payload", "ON").put("qos", 1);
    BlockingQueue<Map.Entry<String, MqttMessage>> received = new LinkedBlockingQueue<>();

    MqttClient first = device(clientId, secret, false, false, received);
    first.subscribe("cmnd/" + clientId + "/#", 1);
    first.disconnect();
    first.close();
    TestNodes.sleep(500);

    MqttClient again = device(clientId, secret, false, true, received); // no SUBSCRIBE this time
    try {
      TestNodes.sleep(300);
      TestNodes.expect(202, api("POST", commands, writeKey, power));
      Map.Entry<String, MqttMessage> got = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(got, "the device received nothing");
      assertEquals("cmnd/" + clientId + "/power", got.getKey());
      assertArrayEquals("ON".getBytes(), got.getValue().getPayload());
    } finally {
      again.disconnect();
      again.close();
    }

    MqttClient clean = device(clientId, secret, true, false, received);
    try {
      TestNodes.sleep(300);
      HttpResponse<String> notSubscribed = TestNodes.expect(409, api("POST", commands, writeKey, power));
      assertTrue(notSubscribed.body().contains("subscribed"), notSubscribed.body());
      assertEquals(null, received.poll(500, TimeUnit.MILLISECONDS));
    } finally {
      clean.disconnect();
      clean.close();
    }
  }

  /** A 3.1.1 device on B whose callback collects every message, subscribed in this connection or not. */
  private static MqttClient device(String clientId, String secret, boolean clean, boolean sessionPresent,
      BlockingQueue<Map.Entry<String, MqttMessage>> received) throws MqttException {
    MqttClient c = new MqttClient("tcp://127.0.0.1:" + mqttPort, clientId, new MemoryPersistence());
    c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        received.add(Map.entry(topic, message));
      }

      @Override
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
    });
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(clean);
    o.setUserName(clientId);
    o.setPassword(secret.toCharArray());
    c.setTimeToWait(10_000);
    assertEquals(sessionPresent, c.connectWithResult(o).getSessionPresent(), "CONNACK session-present");
    return c;
  }

  @Test
  void aCertificateIssuedThroughTheApiConnectsOverMtlsPublishesAndReceivesCommands() throws Exception {
    String mac = randomMac();
    String clientId = "f2-" + mac.replace(":", "");
    long id = createMqttDevice(mac, "mtls");
    JsonObject issued = TestNodes.json(TestNodes.expect(201, api("POST", "/api/v1/devices/" + id + "/certificate", writeKey,
        null)));

    MqttClient device = mtls(clientId, issued);
    try {
      device.publish("stat/" + clientId + "/sensor-mode/1/sensor-1",
          "{\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"data\":\"00D7024E01F4\"}".getBytes(StandardCharsets.UTF_8),
          1, false); // returns once the bridge acknowledged it (after Kafka did)
      BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
      device.subscribe("cmnd/" + clientId + "/+", 0, (topic, message) -> received.add(message));
      TestNodes.expect(202, api("POST", "/api/v1/devices/" + id + "/commands", writeKey,
          new JsonObject().put("topic", "reboot").put("payload", "AQI=").put("encoding", "base64")));
      MqttMessage got = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(got, "the device received nothing");
      assertArrayEquals(new byte[] {1, 2}, got.getPayload());
      assertEquals(0, got.getQos()); // the subscription's QoS caps the command's
    } finally {
      device.disconnect();
      device.close();
    }

    // the same certificate cannot name another device
    String otherMac = randomMac();
    TestNodes.expect(201, api("POST", "/api/v1/devices", writeKey,
        new JsonObject().put("kind", "mqtt").put("externalId", otherMac).put("name", "other")));
    MqttException refused = org.junit.jupiter.api.Assertions.assertThrows(MqttException.class,
        () -> mtls("f2-" + otherMac.replace(":", ""), issued));
    assertEquals(5, refused.getReasonCode());
  }

  @Test
  void revokingACertificateOnOneNodeEndsTheSessionItOpenedOnTheOther() throws Exception {
    String mac = randomMac();
    String clientId = "f2-" + mac.replace(":", "");
    long id = createMqttDevice(mac, "revoked");
    JsonObject issued = TestNodes.json(TestNodes.expect(201, api("POST", "/api/v1/devices/" + id + "/certificate",
        writeKey, null)));
    MqttClient device = mtls(clientId, issued);
    java.util.concurrent.CountDownLatch lost = new java.util.concurrent.CountDownLatch(1);
    device.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        lost.countDown();
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
    });
    TestNodes.expect(204, api("DELETE", "/api/v1/devices/" + id + "/certificates/" + issued.getString("serial"),
        writeKey, null));
    assertTrue(lost.await(10, TimeUnit.SECONDS), "the session on the other node ended");
    MqttException refused = org.junit.jupiter.api.Assertions.assertThrows(MqttException.class,
        () -> mtls(clientId, issued));
    assertEquals(5, refused.getReasonCode());
    device.close();
  }

  /** Registers an mqtt device through node A's api; its id. */
  private static long createMqttDevice(String mac, String name) {
    return TestNodes.json(TestNodes.expect(201, api("POST", "/api/v1/devices", writeKey,
        new JsonObject().put("kind", "mqtt").put("externalId", mac).put("name", name)))).getLong("id");
  }

  private static String randomMac() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    return String.format("aa:bb:cd:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r.nextInt(256));
  }

  /** A device using the three PEMs of the certificate response (and trusting the test's server certificate). */
  private static MqttClient mtls(String clientId, JsonObject issued) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", certificate(Files.readString(Path.of(server.certificatePath()))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    String keyPem = issued.getString("privateKeyPem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
        .decode(keyPem)));
    keys.setKeyEntry("device", key, new char[0], new Certificate[] {certificate(issued.getString("certificatePem")),
        certificate(issued.getString("caPem"))});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

    MqttClient c = new MqttClient("ssl://127.0.0.1:" + tlsPort, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setHttpsHostnameVerificationEnabled(false);
    o.setConnectionTimeout(5);
    o.setSocketFactory(ssl.getSocketFactory());
    c.setTimeToWait(10_000);
    c.connect(o);
    return c;
  }

  private static Certificate certificate(String pem) throws Exception {
    return CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static HttpResponse<String> api(String method, String path, String bearer, JsonObject body) {
    return TestNodes.api(apiPort, method, path, bearer, body);
  }
}
