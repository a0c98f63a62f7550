package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.codecs.Rfc3339;
import io.gridline.contracts.Topics;
import io.gridline.devservices.EmbeddedKafka;
import io.gridline.devservices.FreePorts;
import io.gridline.testkit.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MQTT payload path under fuzz: {@value #PUBLISHES} random and mutated JSON payloads (NULs, invalid UTF-8, huge
 * numbers, deep nesting, long strings, random bytes, wrong types, topics off the decodable pattern) published with QoS 1
 * by real Paho devices through a real node (mqtt-bridge, stream-processor, timescale-sink; a Kafka broker of its own).
 * Afterwards every acknowledged publish is exactly one decoded record (whose readings are rows of
 * {@code decoded_data}) or one dead letter, nothing was parked, the processor holds nothing in flight, and both
 * consumer groups committed every partition to its end. The seed is printed: a failure can be replayed.
 */
class TelemetryFuzzTest {
  static final int PUBLISHES = 100_000;
  private static final int DEVICES = 16;
  private static final int WINDOW = 64;
  private static final int MAX_PAYLOAD = 60_000;

  private Node node;
  private EmbeddedKafka kafka;
  private final List<MqttAsyncClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (MqttAsyncClient c : clients) {
      try {
        c.disconnect().waitForCompletion(5_000);
      } catch (Exception ignored) {
        // already gone
      }
      c.close();
    }
    TestNodes.stop(node);
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void everyAcknowledgedFuzzedPublishIsRowsOrADeadLetterAndNothingIsLeftInFlight() throws Exception {
    long seed = Long.getLong("gridline.fuzz.seed", System.nanoTime());
    System.out.println("TelemetryFuzzTest seed " + seed + " (replay with -Dgridline.fuzz.seed=" + seed + ")");
    kafka = TestStores.ownKafka();
    Map<String, String> env = TestNodes.env();
    env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("GRIDLINE_MQTT_PORT", Integer.toString(FreePorts.find()));
    env.put("GRIDLINE_MQTT_REQUIRE_AUTH", "false");
    env.put("GRIDLINE_MQTT_MAX_PUBLISH_RATE", "1000000");
    // up to DEVICES × WINDOW publishes of up to 60 KB wait for Kafka at once: room for all of them, so back-pressure
    // (tested in mqtt-bridge's KafkaOutageTest) never refuses one here
    env.put("GRIDLINE_MQTT_MAX_PENDING_BYTES", Integer.toString(DEVICES * WINDOW * (MAX_PAYLOAD + 1024)));
    node = TestNodes.start(env, "--verticles", "mqtt-bridge,stream-processor,timescale-sink");
    TestNodes.await(node.opsPort(), "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
    String jdbc = TestStores.pgJdbcUrl(env.get("GRIDLINE_PG_URL"));
    Map<String, Long> devices = registerDevices(jdbc);
    int port = Integer.parseInt(env.get("GRIDLINE_MQTT_PORT"));

    long t0 = System.nanoTime();
    AtomicInteger acked = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> publishers = new ArrayList<>();
    int perDevice = PUBLISHES / DEVICES;
    int d = 0;
    for (String mac : devices.keySet()) {
      Fuzz fuzz = new Fuzz(new Random(seed + d), mac, d * 1_000_000L);
      MqttAsyncClient client = connect(port, "f2-" + mac.replace(":", ""));
      Thread t = new Thread(() -> publish(client, fuzz, perDevice, acked, failure), "fuzz-" + d++);
      publishers.add(t);
      t.start();
    }
    for (Thread t : publishers) {
      t.join(300_000);
    }
    assertEquals(null, failure.get(), "a publisher failed");
    int total = acked.get();
    assertEquals(perDevice * DEVICES, total, "every fuzzed publish was acknowledged");
    System.out.printf("fuzz: %d publishes acknowledged in %d ms%n", total, (System.nanoTime() - t0) / 1_000_000);

    // the processor read every raw record, holds none in flight, and committed every partition to its end
    awaitCommittedToEnd("gridline.stream-processor", Topics.TELEMETRY_RAW);
    TestNodes.await(node.opsPort(), "/metrics", r -> metric(r.body(), "gridline_processor_in_flight") == 0,
        Duration.ofSeconds(30));

    // each acknowledged publish is exactly one decoded record or one dead letter, none parked
    Set<Long> deviceIds = new HashSet<>(devices.values());
    Set<String> readings = new HashSet<>();
    long[] decodedRecords = {0};
    forEach(Topics.TELEMETRY_DECODED, r -> {
      if (deviceIds.contains(Long.parseLong(r.key()))) {
        decodedRecords[0]++;
        JsonObject value = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
        long time = Rfc3339.parse(value.getString("timestamp"));
        for (Object v : value.getJsonArray("values")) {
          readings.add(time + "|" + value.getLong("deviceId") + "|" + ((JsonObject) v).getLong("datapointId"));
        }
      }
    });
    long[] deadLetters = {0};
    forEach(Topics.TELEMETRY_DLQ, r -> deadLetters[0] += devices.containsKey(r.key()) ? 1 : 0);
    long[] parked = {0};
    forEach(Topics.TELEMETRY_PARKED, r -> parked[0]++);
    System.out.printf("fuzz: %d decoded, %d dead letters, %d parked%n", decodedRecords[0], deadLetters[0], parked[0]);
    assertEquals(0, parked[0], "records parked");
    assertEquals(total, decodedRecords[0] + deadLetters[0], "decoded records + dead letters = acknowledged publishes");
    assertTrue(decodedRecords[0] > 0 && deadLetters[0] > 0, "the fuzz reached both outcomes");

    // every decoded reading is a row: the first reading of a (time, device, datapoint) is the one stored
    awaitCommittedToEnd("gridline.timescale-sink", Topics.TELEMETRY_DECODED);
    Set<String> rows = new HashSet<>();
    try (Connection c = DriverManager.getConnection(jdbc); PreparedStatement st = c.prepareStatement(
        "SELECT (extract(epoch FROM timestamp) * 1000)::bigint, device_id, datapoint_id FROM decoded_data");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + "|" + rs.getLong(2) + "|" + rs.getLong(3));
      }
    }
    assertEquals(readings, rows, "decoded readings and rows");
  }

  // ---- devices

  private static Map<String, Long> registerDevices(String jdbc) throws Exception {
    Map<String, Long> devices = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbc)) {
      UUID tenant = UUID.randomUUID();
      try (PreparedStatement st = c.prepareStatement("INSERT INTO tenants (id, name, max_devices) VALUES (?, 'fuzz', 100)")) {
        st.setObject(1, tenant);
        st.executeUpdate();
      }
      for (int i = 0; i < DEVICES; i++) {
        String mac = String.format("aa:bb:cf:00:%02x:%02x", i, new Random().nextInt(256));
        try (PreparedStatement st = c.prepareStatement("INSERT INTO devices (tenant_id, kind, external_id, name) "
            + "VALUES (?, 'mqtt', ?, 'fuzz') RETURNING id")) {
          st.setObject(1, tenant);
          st.setString(2, mac);
          try (ResultSet rs = st.executeQuery()) {
            rs.next();
            devices.put(mac, rs.getLong(1));
          }
        }
      }
    }
    return devices;
  }

  private MqttAsyncClient connect(int port, String clientId) throws Exception {
    MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(true);
    o.setMaxInflight(WINDOW);
    o.setAutomaticReconnect(false);
    client.connect(o).waitForCompletion(10_000);
    clients.add(client);
    return client;
  }

  private static void publish(MqttAsyncClient client, Fuzz fuzz, int n, AtomicInteger acked,
      AtomicReference<Throwable> failure) {
    Semaphore window = new Semaphore(WINDOW);
    try {
      for (int i = 0; i < n && failure.get() == null; i++) {
        window.acquire();
        MqttMessage message = new MqttMessage(fuzz.payload());
        message.setQos(1);
        client.publish(fuzz.topic(), message, null, new IMqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            acked.incrementAndGet();
            window.release();
          }

          @Override
          public void onFailure(IMqttToken token, Throwable err) {
            failure.compareAndSet(null, err);
            window.release();
          }
        });
      }
      if (!window.tryAcquire(WINDOW, 120, TimeUnit.SECONDS)) {
        failure.compareAndSet(null, new AssertionError("publishes still unacknowledged after 120 s"));
      }
    } catch (Exception e) {
      failure.compareAndSet(null, e);
    }
  }

  // ---- Kafka

  private void awaitCommittedToEnd(String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      String last = "";
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        boolean done = true;
        StringBuilder state = new StringBuilder();
        for (var e : ends.entrySet()) {
          var c = committed.get(e.getKey());
          long at = c == null ? 0 : c.offset();
          state.append(e.getKey()).append(' ').append(at).append('/').append(e.getValue().offset()).append("; ");
          done &= at >= e.getValue().offset();
        }
        if (done) {
          return;
        }
        last = state.toString();
        TestNodes.sleep(500);
      }
      throw new AssertionError(group + " did not commit " + topic + " to its end: " + last);
    }
  }

  /** Every record of the topic, from the beginning to its current end, one at a time (they do not fit in memory). */
  private void forEach(String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("max.poll.records", "2000");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }

  private static double metric(String prometheus, String name) {
    for (String line : prometheus.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  // ---- the fuzz

  /** One device's payloads and topics: a valid reading now and then, mostly everything a broken device might send. */
  private static final class Fuzz {
    private final Random random;
    private final String clientId;
    private final long base;
    private long next;

    Fuzz(Random random, String mac, long offset) {
      this.random = random;
      this.clientId = "f2-" + mac.replace(":", "");
      this.base = System.currentTimeMillis() - 7 * 86_400_000L + offset;
    }

    String topic() {
      String good = "stat/" + clientId + "/sensor-mode/1/sensor-1";
      return switch (random.nextInt(20)) {
        case 0 -> "stat/" + clientId + "/sensor-mode/" + random.nextInt(1000) + "/sensor-" + random.nextInt(40);
        // printable only: MQTT forbids U+0000 and unpaired surrogates in topic names, and Paho refuses to send them
        case 1 -> "tele/" + clientId + "/" + printable(1 + random.nextInt(30));
        default -> good;
      };
    }

    byte[] payload() {
      byte[] out = switch (random.nextInt(10)) {
        case 0, 1, 2 -> valid();
        case 3, 4 -> mutate(valid());
        case 5 -> hugeNumbers();
        case 6 -> deepNesting();
        case 7 -> longStrings();
        case 8 -> randomBytes();
        default -> randomJson();
      };
      return out.length > MAX_PAYLOAD ? java.util.Arrays.copyOf(out, MAX_PAYLOAD) : out;
    }

    private byte[] valid() {
      long t = base + next++;
      Object timestamp = random.nextBoolean() ? (Object) t : Rfc3339.format(t);
      byte[] data = new byte[6 + random.nextInt(4)];
      random.nextBytes(data);
      return new JsonObject().put("timestamp", timestamp).put("data", HexFormat.of().formatHex(data)).encode()
          .getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes flipped, NULs and invalid UTF-8 inserted, chunks cut or repeated, escapes of U+0000 in strings. */
    private byte[] mutate(byte[] in) {
      List<Byte> b = new ArrayList<>();
      for (byte x : in) {
        b.add(x);
      }
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits && !b.isEmpty(); e++) {
        int at = random.nextInt(b.size());
        switch (random.nextInt(7)) {
          case 0 -> b.set(at, (byte) random.nextInt(256));
          case 1 -> b.add(at, (byte) 0);
          case 2 -> {
            byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
            int from = random.nextInt(bad.length);
            for (int k = from; k < bad.length; k++) {
              b.add(at, bad[k]);
            }
          }
          case 3 -> b.subList(at, b.size()).clear();
          case 4 -> b.addAll(at, new ArrayList<>(b.subList(at, Math.min(b.size(), at + 1 + random.nextInt(20)))));
          case 5 -> {
            for (byte x : "\\u0000".getBytes(StandardCharsets.US_ASCII)) {
              b.add(at++, x);
            }
          }
          default -> b.remove(at);
        }
      }
      byte[] out = new byte[b.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = b.get(i);
      }
      return out;
    }

    private byte[] hugeNumbers() {
      String[] numbers = {"1e400", "-1e400", "123456789012345678901234567890", "9223372036854775808",
          "18446744073709551616", "-9223372036854775809", "0.0000000000000000000000001", "1E+2147483647",
          "17000000000000.5", "-0", "NaN", "Infinity", "1" + "0".repeat(5000)};
      String ts = numbers[random.nextInt(numbers.length)];
      String data = random.nextBoolean() ? "\"00D7024E01F4\"" : numbers[random.nextInt(numbers.length)];
      return ("{\"timestamp\":" + ts + ",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] deepNesting() {
      int depth = 50 + random.nextInt(random.nextBoolean() ? 200 : 20_000);
      StringBuilder s = new StringBuilder("{\"timestamp\":" + (base + next++) + ",\"data\":\"00D7024E01F4\",\"x\":");
      boolean arrays = random.nextBoolean();
      for (int i = 0; i < depth; i++) {
        s.append(arrays ? "[" : "{\"a\":");
      }
      s.append("1");
      int closes = random.nextInt(4) == 0 ? depth / 2 : depth; // sometimes unbalanced
      for (int i = 0; i < closes; i++) {
        s.append(arrays ? "]" : "}");
      }
      return s.append("}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] longStrings() {
      int length = 1_000 + random.nextInt(40_000);
      String filler = randomText(Math.min(length, 64)).repeat(length / 64 + 1).substring(0, length);
      JsonObject o = new JsonObject();
      switch (random.nextInt(3)) {
        case 0 -> o.put("timestamp", filler).put("data", "00D7024E01F4");
        case 1 -> o.put("timestamp", base + next++).put("data", "0A".repeat(length / 2));
        default -> o.put("timestamp", base + next++).put("data", "00D7024E01F4").put(filler, filler);
      }
      return o.encode().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes() {
      byte[] b = new byte[random.nextInt(2_000)];
      random.nextBytes(b);
      return b;
    }

    private byte[] randomJson() {
      JsonObject o = new JsonObject();
      if (random.nextBoolean()) {
        o.put("timestamp", randomValue(3));
      }
      if (random.nextBoolean()) {
        o.put("data", randomValue(3));
      }
      for (int i = random.nextInt(4); i > 0; i--) {
        o.put(randomText(1 + random.nextInt(10)), randomValue(3));
      }
      String text = random.nextInt(8) == 0 ? new JsonArray().add(o).encode() : o.encode();
      return text.getBytes(StandardCharsets.UTF_8);
    }

    private Object randomValue(int depth) {
      Supplier<Object> nested = () -> depth == 0 ? null : randomValue(depth - 1);
      return switch (random.nextInt(9)) {
        case 0 -> null;
        case 1 -> random.nextBoolean();
        case 2 -> random.nextLong();
        case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
        case 4 -> randomText(random.nextInt(40));
        case 5 -> new JsonArray().add(nested.get()).add(nested.get());
        case 6 -> new JsonObject().put(randomText(3), nested.get());
        case 7 -> Rfc3339.format(base + next++) + (random.nextBoolean() ? "\u0000" : "");
        default -> HexFormat.of().formatHex(new byte[random.nextInt(12)]);
      };
    }

    private String printable(int length) {
      StringBuilder s = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        char c = (char) (' ' + random.nextInt(95));
        s.append(c == '+' || c == '#' ? '_' : c);
      }
      return s.toString();
    }

    /** Text with control characters, NULs, unpaired surrogates and emoji mixed in. */
    private String randomText(int length) {
      StringBuilder s = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        s.append(switch (random.nextInt(12)) {
          case 0 -> '\u0000';
          case 1 -> (char) random.nextInt(32);
          case 2 -> (char) (0xD800 + random.nextInt(0x800)); // a surrogate, usually unpaired
          case 3 -> "\uD83D\uDE00";
          case 4 -> '"';
          case 5 -> '\\';
          default -> (char) (' ' + random.nextInt(95));
        });
      }
      return s.toString();
    }
  }
}
