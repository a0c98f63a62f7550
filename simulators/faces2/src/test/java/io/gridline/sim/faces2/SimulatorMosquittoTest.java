package io.gridline.sim.faces2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end against real MQTT peers: the Mosquitto broker on 127.0.0.1:1883, and a private Mosquitto that refuses
 * every CONNECT ({@link TestBrokers}).
 */
class SimulatorMosquittoTest {
  private static final Pattern TOPIC = Pattern.compile("stat/(f2-[0-9a-f]{12})/sensor-mode/([12])/sensor-([0-9]+)");

  /** One received publish. */
  private record Received(String topic, String payload) {}

  @Test
  void twoDevicesPublishDecodableReadingsAtQos1() throws Exception {
    TestBrokers.requireSharedMosquitto();
    // a random locally administered first MAC keeps this run apart from anything else on the shared broker
    DeviceMac first = new DeviceMac(0x02_0000_0000_00L | ThreadLocalRandom.current().nextLong(0xFF_FFFF_FF00L));
    Set<String> ours = Set.of(first.clientId(), first.plus(1).clientId());
    List<Received> received = new ArrayList<>();

    MqttClient subscriber = new MqttClient("tcp://127.0.0.1:1883", "sim-test-" + first.hex(), new MemoryPersistence());
    MqttConnectOptions connect = new MqttConnectOptions();
    connect.setCleanSession(true);
    subscriber.connect(connect);
    try {
      subscriber.subscribe("stat/#", 1, (topic, message) -> {
        Matcher m = TOPIC.matcher(topic);
        if (m.matches() && ours.contains(m.group(1))) {
          synchronized (received) {
            received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
          }
        }
      });

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = Main.run(new String[] {"--host", "127.0.0.1", "--port", "1883", "--devices", "2",
          "--first-mac", first.toString(), "--count", "6", "--rate", "50", "--qos", "1", "--modes", "1,2",
          "--sensors", "2", "--progress", "1"}, new PrintStream(out, true), new PrintStream(err, true));
      String stdout = out.toString(StandardCharsets.UTF_8);
      assertEquals(Main.OK, exit, stdout + err.toString(StandardCharsets.UTF_8));
      assertTrue(stdout.contains("summary: sent 12 acked 12 failed 0"), stdout);
      assertTrue(stdout.contains("ack latency p50"), stdout);

      long deadline = System.currentTimeMillis() + 10_000;
      while (size(received) < 12 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      subscriber.disconnect();
      subscriber.close();
    }

    assertEquals(12, received.size(), "every acknowledged publish reached the subscriber: " + received);
    Map<String, Integer> perTopic = new HashMap<>();
    Map<String, Set<Instant>> timestampsPerDevice = new HashMap<>();
    for (Received r : received) {
      Matcher m = TOPIC.matcher(r.topic());
      assertTrue(m.matches(), r.topic());
      int mode = Integer.parseInt(m.group(2));
      int sensor = Integer.parseInt(m.group(3));
      assertTrue(sensor == 1 || sensor == 2, r.topic());
      perTopic.merge(r.topic(), 1, Integer::sum);

      JsonObject json = new JsonObject(r.payload());
      assertEquals(Set.of("timestamp", "data"), json.fieldNames());
      Instant timestamp = Instant.parse(json.getString("timestamp"));
      assertTrue(json.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
      assertTrue(timestampsPerDevice.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(timestamp),
          "distinct timestamps per device: " + r);
      assertDecodable(mode, HexFormat.of().parseHex(json.getString("data")), r);
    }
    // 6 publishes per device over 4 slots (2 modes × 2 sensors), round robin: 2, 2, 1, 1
    assertEquals(8, perTopic.size(), perTopic.toString());
    assertEquals(2, perTopic.get(first.topic(1, 1)));
    assertEquals(2, perTopic.get(first.plus(1).topic(2, 1)));
    assertEquals(1, perTopic.get(first.topic(2, 2)));
  }

  @Test
  void anUnreachableServerFailsWithAClearMessage() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"--port", String.valueOf(closedPort), "--devices", "1", "--count", "1"},
        new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(Main.FAILED, exit, stderr);
    assertTrue(stderr.contains("cannot connect to tcp://127.0.0.1:" + closedPort), stderr);
    assertTrue(stderr.contains("./gridline run"), stderr);
  }

  @Test
  void aRefusedConnectSaysToRegisterTheDeviceAndPassItsSecret(@TempDir Path dir) throws Exception {
    try (TestBrokers.Running broker = TestBrokers.start("allow_anonymous false\n", dir)) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = Main.run(new String[] {"--port", String.valueOf(broker.port()), "--devices", "1", "--count", "1",
          "--secret", "wrong"}, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));
      String stderr = err.toString(StandardCharsets.UTF_8);
      assertEquals(Main.FAILED, exit, stderr);
      assertTrue(stderr.contains("f2-aabbccddee01: not authorized"), stderr);
      assertTrue(stderr.contains("--secret or --secrets-file"), stderr);
    }
  }

  private static void assertDecodable(int mode, byte[] data, Received r) {
    ByteBuffer b = ByteBuffer.wrap(data);
    if (mode == 1) {
      assertEquals(6, data.length, r.toString());
      double temperature = b.getShort() / 10.0;
      double humidity = Short.toUnsignedInt(b.getShort()) / 10.0;
      int co2 = Short.toUnsignedInt(b.getShort());
      assertTrue(temperature >= 18 && temperature <= 26 && humidity >= 30 && humidity <= 70 && co2 >= 400
          && co2 <= 1200, r.toString());
    } else {
      assertEquals(8, data.length, r.toString());
      double volts = Short.toUnsignedInt(b.getShort()) / 10.0;
      double amps = Short.toUnsignedInt(b.getShort()) / 1000.0;
      double watts = Integer.toUnsignedLong(b.getInt()) / 10.0;
      assertTrue(volts >= 220 && volts <= 240 && watts > 0 && watts <= volts * amps + 0.2, r.toString());
    }
  }

  private static int size(List<Received> received) {
    synchronized (received) {
      return received.size();
    }
  }
}
