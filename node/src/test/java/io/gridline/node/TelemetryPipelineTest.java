package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.devservices.EmbeddedKafka;
import io.gridline.devservices.FreePorts;
import io.gridline.testkit.TestStores;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end, no loss: one in-process node runs mqtt-bridge, stream-processor, timescale-sink and api
 * against real PostgreSQL, Redis and Kafka; a real MQTT device (Paho, QoS 1, at most {@value #WINDOW} publishes in
 * flight) publishes FACES2 mode-1 readings with distinct timestamps. A publish counts as acknowledged only when Paho
 * reported its delivery complete (PUBACK). Every acknowledged publish must end as exactly three rows in
 * {@code decoded_data} — none missing, none extra — while a pipeline verticle is undeployed and redeployed, or the
 * Kafka broker is stopped and restarted, mid-stream.
 */
class TelemetryPipelineTest {
  private static final int WINDOW = 100;
  private static final String BRIDGE_KAFKA_CHECK = "verticle.mqtt-bridge.kafka";
  private static final Duration LAND_TIMEOUT = Duration.ofSeconds(60);

  private Node node;
  private EmbeddedKafka kafka;
  private Device device;

  @AfterEach
  void stop() throws Exception {
    if (device != null) {
      device.close();
    }
    TestNodes.stop(node);
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void acknowledgedPublishesLandAsThreeRowsWithTheirValues() throws Exception {
    Pipeline p = startPipeline(TestStores.kafkaBootstrap());
    device = p.connect();
    int n = 500;
    device.publishAll(n);
    device.awaitAllAcked(n, Duration.ofSeconds(30));

    awaitRows(p, 3L * n);
    assertExactlyThreeRowsPerAckedPublish(p);
    // spot checks: the values decoded from the hex each publish carried, under the seed labels
    for (int i : new int[] {0, 1, 137, n - 1}) {
      Map<String, Double> row = p.valuesAt(device.timestamp(i));
      assertEquals(Map.of("sensor-1.temperature", temperature(i), "sensor-1.humidity", humidity(i),
          "sensor-1.co2", (double) co2(i)), row, "reading " + i);
    }
  }

  @Test
  void theSinkUndeployedAndRedeployedMidStreamLosesAndDuplicatesNothing() throws Exception {
    verticleLostMidStream("timescale-sink", 10_000);
  }

  @Test
  void theProcessorUndeployedAndRedeployedMidStreamLosesAndDuplicatesNothing() throws Exception {
    verticleLostMidStream("stream-processor", 10_000);
  }

  /**
   * The node's Kafka is a broker this test owns. Stopped mid-stream, the bridge gets no Kafka acknowledgement and
   * sends no PUBACK (Paho keeps those publishes in flight, retransmitting after a reconnect); restarted on the same
   * port and data, every publish is acknowledged in the end and each lands exactly once.
   */
  @Test
  void aKafkaOutageMidStreamLosesNoAcknowledgedPublish() throws Exception {
    kafka = TestStores.ownKafka();
    Pipeline p = startPipeline(kafka.bootstrapServers());
    device = p.connect();
    int n = 10_000;
    Gate outage = device.gate(3_000);
    Thread publisher = device.publishInBackground(n);
    outage.awaitReached();
    device.awaitAcked(3_000, Duration.ofSeconds(30)); // nothing in flight: every later ack needs the new broker
    kafka.close();
    outage.open();
    // the window fills and stays unacknowledged while the broker is down
    await(() -> device.inFlight() == WINDOW, Duration.ofSeconds(10), "a full window in flight");
    // the bridge stays up and says why it is not ready (a record unacknowledged by Kafka for over 5 s)
    TestNodes.await(node.opsPort(), "/health/ready",
        r -> "DOWN".equals(NodeLifecycleTest.checks(TestNodes.json(r)).get(BRIDGE_KAFKA_CHECK)), Duration.ofSeconds(20));
    int ackedDuringOutage = device.acked() - 3_000;
    assertEquals(0, ackedDuringOutage, "publishes acknowledged while Kafka was down");
    kafka = TestStores.restart(kafka);
    publisher.join(120_000);
    device.awaitAllAcked(n, Duration.ofSeconds(90));
    TestNodes.await(node.opsPort(), "/health/ready",
        r -> "UP".equals(NodeLifecycleTest.checks(TestNodes.json(r)).get(BRIDGE_KAFKA_CHECK)), Duration.ofSeconds(30));
    System.out.printf("kafka outage: %d acked in all, %d reconnects%n", device.acked(), device.connects.get() - 1);

    awaitRows(p, 3L * device.acked());
    assertExactlyThreeRowsPerAckedPublish(p);
  }

  // ---- the scenarios

  /**
   * Publishing pauses at three gates so the undeploy is mid-stream whatever the speed: the verticle is undeployed while
   * readings 3,000… flow, readings 5,000–6,999 are published while it is fully gone, and it is redeployed while 7,000…
   * flow.
   */
  private void verticleLostMidStream(String verticle, int n) throws Exception {
    Pipeline p = startPipeline(TestStores.kafkaBootstrap());
    device = p.connect();
    long t0 = System.nanoTime();
    Gate undeployAt = device.gate(3_000);
    Gate goneAt = device.gate(5_000);
    Gate redeployAt = device.gate(7_000);
    Thread publisher = device.publishInBackground(n);

    undeployAt.awaitReached();
    device.awaitAcked(3_000, Duration.ofSeconds(30));
    Future<Void> undeployed = node.undeploy(verticle);
    undeployAt.open();
    goneAt.awaitReached();
    undeployed.await(30, TimeUnit.SECONDS);
    int ackedAtUndeploy = device.acked();
    goneAt.open();
    redeployAt.awaitReached();
    device.awaitAcked(7_000, Duration.ofSeconds(30)); // the bridge acknowledges without the verticle
    Future<Void> redeployed = node.redeploy(verticle);
    redeployAt.open();
    redeployed.await(30, TimeUnit.SECONDS);
    publisher.join(120_000);
    device.awaitAllAcked(n, Duration.ofSeconds(60));
    System.out.printf("%s: undeployed when %d were acked; %d published and acked in %d ms%n", verticle,
        ackedAtUndeploy, n, (System.nanoTime() - t0) / 1_000_000);

    awaitRows(p, 3L * device.acked());
    assertExactlyThreeRowsPerAckedPublish(p);
  }

  private void assertExactlyThreeRowsPerAckedPublish(Pipeline p) throws Exception {
    Set<Long> acked = device.ackedTimestamps();
    assertEquals(device.acked(), acked.size());
    try (Connection c = DriverManager.getConnection(p.jdbc)) {
      try (PreparedStatement st = c.prepareStatement(
          "SELECT count(*), count(DISTINCT timestamp), count(DISTINCT datapoint_id) FROM decoded_data"
              + " WHERE device_id = ?")) {
        st.setLong(1, p.deviceId);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          assertEquals(3L * acked.size(), rs.getLong(1), "rows");
          assertEquals(acked.size(), rs.getLong(2), "distinct timestamps");
          assertEquals(3, rs.getLong(3), "datapoints");
        }
      }
      Set<Long> stored = new HashSet<>();
      try (PreparedStatement st = c.prepareStatement(
          "SELECT (extract(epoch FROM timestamp) * 1000)::bigint, count(*) FROM decoded_data WHERE device_id = ?"
              + " GROUP BY timestamp")) {
        st.setLong(1, p.deviceId);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            assertEquals(3, rs.getLong(2), "rows at " + rs.getLong(1));
            stored.add(rs.getLong(1));
          }
        }
      }
      Set<Long> missing = new HashSet<>(acked);
      missing.removeAll(stored);
      Set<Long> unexpected = new HashSet<>(stored);
      unexpected.removeAll(acked);
      assertTrue(missing.isEmpty() && unexpected.isEmpty(),
          missing.size() + " acknowledged readings missing, " + unexpected.size() + " not acknowledged stored");
    }
  }

  /** Waits until the device's rows reach the expected count (or the timeout); the exact assertions follow. */
  private static void awaitRows(Pipeline p, long expected) throws Exception {
    long deadline = System.nanoTime() + LAND_TIMEOUT.toNanos();
    long rows = -1;
    while (System.nanoTime() < deadline) {
      rows = p.rows();
      if (rows >= expected) {
        TestNodes.sleep(500); // anything beyond the expected count would show now
        return;
      }
      TestNodes.sleep(200);
    }
    throw new AssertionError("decoded_data holds " + rows + " rows of device " + p.deviceId + " after "
        + LAND_TIMEOUT + ", expected " + expected);
  }

  // ---- the node, its tenant and device

  private Pipeline startPipeline(String kafkaBootstrap) {
    Map<String, String> env = TestNodes.env();
    env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
    env.put("GRIDLINE_MQTT_PORT", Integer.toString(FreePorts.find()));
    env.put("GRIDLINE_MQTT_REQUIRE_AUTH", "false");
    env.put("GRIDLINE_MQTT_MAX_PUBLISH_RATE", "1000000");
    node = TestNodes.start(env, "--verticles", "mqtt-bridge,stream-processor,timescale-sink,api");
    TestNodes.await(node.opsPort(), "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
    Pipeline p = new Pipeline(env);
    String writeKey = TestNodes.tenantWriteKey(p.apiPort, env.get("GRIDLINE_API_ADMIN_KEY"), "pipeline-test");
    ThreadLocalRandom r = ThreadLocalRandom.current();
    p.mac = String.format("aa:bb:ce:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r.nextInt(256));
    p.deviceId = TestNodes.json(p.expect(201, p.api("POST", "/api/v1/devices", writeKey,
        new JsonObject().put("kind", "mqtt").put("externalId", p.mac).put("name", "pipeline")))).getLong("id");
    return p;
  }

  private static final class Pipeline {
    final int apiPort;
    final int mqttPort;
    final String jdbc;
    String mac;
    long deviceId;

    Pipeline(Map<String, String> env) {
      apiPort = Integer.parseInt(env.get("GRIDLINE_API_PORT"));
      mqttPort = Integer.parseInt(env.get("GRIDLINE_MQTT_PORT"));
      // the sink writes where pg.url points (sink.pg-url is not set)
      jdbc = TestStores.pgJdbcUrl(env.get("GRIDLINE_PG_URL"));
    }

    Device connect() throws MqttException {
      return new Device(mqttPort, "f2-" + mac.replace(":", ""));
    }

    long rows() throws Exception {
      try (Connection c = DriverManager.getConnection(jdbc);
          PreparedStatement st = c.prepareStatement("SELECT count(*) FROM decoded_data WHERE device_id = ?")) {
        st.setLong(1, deviceId);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }

    Map<String, Double> valuesAt(long epochMillis) throws Exception {
      Map<String, Double> values = new HashMap<>();
      try (Connection c = DriverManager.getConnection(jdbc); PreparedStatement st = c.prepareStatement(
          "SELECT d.label, v.value FROM decoded_data v JOIN datapoints d ON d.id = v.datapoint_id"
              + " WHERE v.device_id = ? AND v.timestamp = to_timestamp(? / 1000.0)")) {
        st.setLong(1, deviceId);
        st.setLong(2, epochMillis);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            values.put(rs.getString(1), rs.getDouble(2));
          }
        }
      }
      return values;
    }

    HttpResponse<String> api(String method, String path, String bearer, JsonObject body) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
          .header("Authorization", "Bearer " + bearer)
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body.encode()));
      if (body != null) {
        request.header("Content-Type", "application/json");
      }
      return TestNodes.send(request);
    }

    HttpResponse<String> expect(int status, HttpResponse<String> response) {
      assertEquals(status, response.statusCode(), response.request().method() + " " + response.uri() + ": "
          + response.body());
      return response;
    }
  }

  // ---- the device: Paho, QoS 1, a bounded window, acknowledgements counted from delivery-complete callbacks

  private static final class Device implements AutoCloseable {
    /** Reading i carries timestamp BASE + i: distinct, recent, and the same on a retransmission. */
    private final long base = (System.currentTimeMillis() - 3_600_000) / 1000 * 1000;
    private final MqttAsyncClient client;
    private final String topic;
    private final Semaphore window = new Semaphore(WINDOW);
    private final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connects = new AtomicInteger();
    private final Map<Integer, Gate> gates = new ConcurrentHashMap<>();
    private volatile Throwable publisherFailure;

    Device(int port, String clientId) throws MqttException {
      topic = "stat/" + clientId + "/sensor-mode/1/sensor-1";
      client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
      client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallbackExtended() {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
          connects.incrementAndGet();
        }

        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void messageArrived(String t, MqttMessage message) {}

        @Override
        public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
      });
      MqttConnectOptions o = new MqttConnectOptions();
      o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      o.setCleanSession(false); // unacknowledged publishes are retransmitted after a reconnect
      o.setAutomaticReconnect(true);
      o.setMaxReconnectDelay(1_000);
      o.setMaxInflight(WINDOW);
      o.setKeepAliveInterval(30);
      o.setConnectionTimeout(10);
      client.connect(o).waitForCompletion(15_000);
    }

    long timestamp(int i) {
      return base + i;
    }

    int acked() {
      return acked.size();
    }

    Set<Long> ackedTimestamps() {
      return Set.copyOf(acked);
    }

    /** The publisher stops before reading i until the gate is opened. */
    Gate gate(int i) {
      return gates.computeIfAbsent(i, k -> new Gate());
    }

    int inFlight() {
      return WINDOW - window.availablePermits();
    }

    void publishAll(int n) throws Exception {
      for (int i = 0; i < n; i++) {
        Gate gate = gates.get(i);
        if (gate != null) {
          gate.pass();
        }
        publish(i);
      }
    }

    Thread publishInBackground(int n) {
      Thread t = new Thread(() -> {
        try {
          publishAll(n);
        } catch (Throwable e) {
          publisherFailure = e;
        }
      }, "pipeline-test-publisher");
      t.setDaemon(true);
      t.start();
      return t;
    }

    /** Publishes reading i, waiting for room in the window; retries while the client is reconnecting. */
    private void publish(int i) throws Exception {
      long ts = timestamp(i);
      byte[] payload = ("{\"timestamp\":" + ts + ",\"data\":\"" + hex(i) + "\"}").getBytes(StandardCharsets.UTF_8);
      while (true) {
        window.acquire();
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        try {
          client.publish(topic, message, ts, new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              acked.add((Long) token.getUserContext());
              window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable err) {
              window.release(); // not acknowledged: not counted
            }
          });
          return;
        } catch (MqttException e) {
          window.release();
          if (e.getReasonCode() != MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
              && e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT
              && e.getReasonCode() != MqttException.REASON_CODE_CLIENT_DISCONNECTING) {
            throw e;
          }
          Thread.sleep(20);
        }
      }
    }

    void awaitAcked(int n, Duration timeout) {
      await(() -> acked() >= n, timeout, n + " acknowledgements (have " + acked() + ")");
      assertEquals(n, acked());
    }

    void awaitAllAcked(int n, Duration timeout) {
      await(() -> publisherFailure != null || acked() >= n, timeout, n + " acknowledgements (have " + acked() + ")");
      if (publisherFailure != null) {
        throw new AssertionError("publishing failed", publisherFailure);
      }
      assertEquals(n, acked());
    }

    @Override
    public void close() throws Exception {
      try {
        client.disconnect().waitForCompletion(5_000);
      } catch (MqttException ignored) {
        // already gone
      }
      client.close(true);
    }
  }

  private static final class Gate {
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    void pass() throws InterruptedException {
      reached.countDown();
      if (!opened.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate not opened in 120 s");
      }
    }

    void awaitReached() throws InterruptedException {
      assertTrue(reached.await(60, TimeUnit.SECONDS), "the publisher did not reach the gate in 60 s");
    }

    void open() {
      opened.countDown();
    }
  }

  // ---- FACES2 mode 1 readings: temperature int16 × 0.1 at 0, humidity uint16 × 0.1 at 2, co2 uint16 at 4

  private static int rawTemperature(int i) {
    return (i % 900) - 300; // −30.0 … 59.9 °C, negative values included
  }

  private static int rawHumidity(int i) {
    return i % 1000;
  }

  private static int co2(int i) {
    return 400 + i % 3000;
  }

  private static double temperature(int i) {
    return java.math.BigDecimal.valueOf(rawTemperature(i)).movePointLeft(1).doubleValue();
  }

  private static double humidity(int i) {
    return java.math.BigDecimal.valueOf(rawHumidity(i)).movePointLeft(1).doubleValue();
  }

  private static String hex(int i) {
    return String.format("%04X%04X%04X", rawTemperature(i) & 0xFFFF, rawHumidity(i), co2(i));
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      TestNodes.sleep(20);
    }
  }
}
