package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaJsonCodec;
import io.gridline.contracts.Topics;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.devservices.EmbeddedKafka;
import io.gridline.devservices.FreePorts;
import io.gridline.runtime.SecretBox;
import io.gridline.testkit.TestStores;
import io.gridline.testkit.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: "the webhooks verticle killed mid-delivery and restarted → every event ends {@code succeeded} or
 * {@code dead}, none lost, none resent after success", against the shaded jar as a user runs it.
 *
 * <p>Stores: the machine's PostgreSQL (a fresh database, {@link TestStores#pgUrl()}) and a Kafka broker owned by
 * this test ({@link TestStores#ownKafka()}). A receiver on a Vert.x HttpServer in this JVM answers 200 after
 * {@value #RECEIVER_DELAY_MS} ms and records every {@code X-Gridline-Delivery} with its arrival and answer time. The
 * node ({@code --verticles webhooks --instances webhooks=1}, {@code webhooks.max-concurrency-per-endpoint} =
 * {@value #PER_ENDPOINT}) is SIGKILLed ({@link Process#destroyForcibly()}) once the receiver has seen some of the
 * {@value #EVENTS} events, and a second node process is started on the same stores.
 *
 * <p>Every outbox row is written before the kill, so the second node needs no Kafka group rebalance (a killed member
 * keeps its partitions for the session timeout, 45 s): it only has to pick up the outbox, including the rows the
 * first node had leased (they come due after {@code dns-timeout-ms} + {@code timeout-ms} + 5 s).
 *
 * <p>Run alone: {@code mvn -B -ntp -o verify -pl node -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=WebhooksCrashIT} (after {@code mvn -o install -DskipTests} built {@code node/target/gridline-node.jar}).
 */
class WebhooksCrashIT {
  private static final int EVENTS = 300;
  private static final int DEVICES = 10;            // lanes: deliveries of one device go out one at a time
  private static final int KILL_AFTER = 50;         // receiver arrivals before the kill
  private static final int PER_ENDPOINT = 4;        // webhooks.max-concurrency-per-endpoint (1 instance)
  private static final long RECEIVER_DELAY_MS = 50;
  private static final long TIMEOUT_MS = 2000;      // webhooks.timeout-ms
  private static final long CLOCK_TOLERANCE_MS = 100; // PostgreSQL's now() and this JVM share the machine's clock

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static EmbeddedKafka kafka;
  private static Vertx receiverVertx;
  private static HttpServer receiver;
  private static Path logDir;
  private static final List<Process> nodes = new CopyOnWriteArrayList<>();

  /** One request as the receiver saw it; {@code answeredAt} is set once its 200 was written (0 = never). */
  static final class Arrival {
    final String delivery;
    final long arrivedAt;
    volatile long answeredAt;

    Arrival(String delivery, long arrivedAt) {
      this.delivery = delivery;
      this.arrivedAt = arrivedAt;
    }

    @Override
    public String toString() {
      return delivery + "@" + arrivedAt + (answeredAt == 0 ? " (unanswered)" : " answered@" + answeredAt);
    }
  }

  private static final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void stores() throws Exception {
    kafka = TestStores.ownKafka();
    logDir = Files.createTempDirectory("gridline-webhooks-crash-");
    receiverVertx = Vertx.vertx();
    receiver = receiverVertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          Arrival a = new Arrival(req.getHeader("X-Gridline-Delivery"), System.currentTimeMillis());
          arrivals.add(a);
          receiverVertx.setTimer(RECEIVER_DELAY_MS, t -> req.response().setStatusCode(200).end("ok")
              .onSuccess(v -> a.answeredAt = System.currentTimeMillis()));
        }))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      for (Process p : nodes) {
        destroy(p);
      }
    } finally {
      try {
        if (receiverVertx != null) {
          receiverVertx.close().await(10, TimeUnit.SECONDS);
        }
      } finally {
        if (kafka != null) {
          kafka.close();
        }
      }
    }
  }

  /** SIGTERM, then SIGKILL after 10 s: the node's own stop is not under test here. */
  private static void destroy(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    if (p.isAlive()) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static Process launch(Map<String, String> env, int opsPort, Path log) throws IOException {
    String jar = System.getProperty("gridline.node.jar", ROOT.resolve("node/target/gridline-node.jar").toString());
    List<String> cmd = List.of("java", "-jar", jar, "--verticles", "webhooks", "--instances", "webhooks=1");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("GRIDLINE_"));
    pb.environment().putAll(env);
    pb.environment().put("GRIDLINE_OPS_PORT", Integer.toString(opsPort));
    pb.environment().put("GRIDLINE_API_PORT", Integer.toString(FreePorts.find()));
    pb.environment().put("GRIDLINE_MQTT_PORT", Integer.toString(FreePorts.find()));
    pb.environment().put("GRIDLINE_MQTT_TLS_PORT", Integer.toString(FreePorts.find()));
    pb.environment().put("GRIDLINE_LORAWAN_UDP_PORT", "0");
    Process p = pb.start();
    nodes.add(p);
    return p;
  }

  private static void awaitReady(Process p, int opsPort, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertTrue(p.isAlive(), () -> "node exited early:\n" + read(log));
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort
            + "/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notListening) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node not ready in 60 s:\n" + read(log));
  }

  private static String read(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() > 20_000 ? "…" + s.substring(s.length() - 20_000) : s;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static long count(String jdbc, String sql) {
    try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static Map<String, Long> arrivalsById(List<Arrival> list) {
    return list.stream().collect(Collectors.groupingBy(a -> a.delivery, TreeMap::new, Collectors.counting()));
  }

  @Test
  void killedMidDeliveryAndRestartedEveryEventSucceedsNoneLostNoneResentAfterSuccess() throws Exception {
    String pgUrl = TestStores.pgUrl();
    String jdbc = TestStores.pgJdbcUrl(pgUrl);
    String key = SecretBox.generateKey();
    Map<String, String> env = new HashMap<>();
    env.put("GRIDLINE_NODE_ID", "crash-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("GRIDLINE_PG_URL", pgUrl);
    env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("GRIDLINE_SECRETS_ENCRYPTION_KEY", key);
    env.put("GRIDLINE_DEVSERVICES_DATA_DIR", logDir.resolve("data").toString());
    env.put("GRIDLINE_OPS_HOST", "127.0.0.1");
    env.put("GRIDLINE_API_HOST", "127.0.0.1");
    env.put("GRIDLINE_MQTT_HOST", "127.0.0.1");
    env.put("GRIDLINE_WEBHOOKS_ALLOW_HTTP", "true");
    env.put("GRIDLINE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
    env.put("GRIDLINE_WEBHOOKS_TIMEOUT_MS", Long.toString(TIMEOUT_MS));
    env.put("GRIDLINE_WEBHOOKS_MAX_CONCURRENCY_PER_ENDPOINT", Integer.toString(PER_ENDPOINT));
    env.put("GRIDLINE_WEBHOOKS_POLL_INTERVAL_MS", "50");
    env.put("GRIDLINE_WEBHOOKS_BACKOFF_BASE", "PT0.2S");
    env.put("GRIDLINE_WEBHOOKS_BACKOFF_MAX", "PT0.5S");

    // ---- first node: ready means migrated and the events consumer has its partitions
    int ops1 = FreePorts.find();
    Path log1 = logDir.resolve("node1.log");
    Process node1 = launch(env, ops1, log1);
    awaitReady(node1, ops1, log1);

    UUID tenant = UUID.randomUUID();
    UUID sub = UUID.randomUUID();
    SecretBox box = SecretBox.fromBase64(key);
    try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
        PreparedStatement ins = c.prepareStatement("INSERT INTO webhook_subscriptions (id, tenant_id, url, "
            + "event_types, secret) VALUES (?, ?, ?, ARRAY['device.*'], ?)")) {
      st.execute("INSERT INTO tenants (id, name, max_devices) VALUES ('" + tenant + "', 'crash', 100)");
      ins.setObject(1, sub);
      ins.setObject(2, tenant);
      ins.setString(3, "http://127.0.0.1:" + receiver.actualPort() + "/hook");
      ins.setBytes(4, box.seal("s3cret".getBytes(StandardCharsets.UTF_8), sub.toString().getBytes(StandardCharsets.UTF_8)));
      ins.executeUpdate();
    }

    Set<String> eventIds = new LinkedHashSet<>();
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("acks", "all");
    p.put("linger.ms", "1");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < EVENTS; i++) {
        int device = 1 + i % DEVICES;
        DeviceEvent e = new DeviceEvent(UUID.randomUUID().toString(), "device.online", tenant.toString(), device, "mqtt",
            System.currentTimeMillis(), new JsonObject().put("i", i));
        eventIds.add(e.eventId());
        ProducerRecord<String, byte[]> r =
            new ProducerRecord<>(Topics.EVENTS, String.valueOf(device), KafkaCodecs.DEVICE_EVENT.encode(e).getBytes());
        r.headers().add(KafkaJsonCodec.SCHEMA_HEADER, "1".getBytes(StandardCharsets.UTF_8));
        producer.send(r);
      }
      producer.flush();
    }

    // ---- kill mid-delivery: the whole outbox written, the receiver has seen some but not all
    Waits.until("all " + EVENTS + " outbox rows and " + KILL_AFTER + " arrivals", 30_000, () -> !node1.isAlive()
        || count(jdbc, "SELECT count(*) FROM webhook_deliveries") == EVENTS && arrivals.size() >= KILL_AFTER);
    assertTrue(node1.isAlive(), () -> "node 1 exited on its own:\n" + read(log1));
    long killAt = System.currentTimeMillis();
    node1.destroyForcibly(); // SIGKILL: no graceful stop, attempts in flight die with it
    assertTrue(node1.waitFor(10, TimeUnit.SECONDS), "node 1 did not die of SIGKILL");
    long deadAt = System.currentTimeMillis();
    Set<String> ackedAtKill = arrivals.stream().filter(a -> a.answeredAt != 0).map(a -> a.delivery)
        .collect(Collectors.toSet());
    List<Arrival> beforeKill = List.copyOf(arrivals);
    Set<String> succeededAtKillIds = new HashSet<>();
    try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT event_id FROM webhook_deliveries WHERE status = 'succeeded'")) {
      while (rs.next()) {
        succeededAtKillIds.add(rs.getString(1));
      }
    }
    long succeededAtKill = succeededAtKillIds.size();
    Set<String> seenAtKill = beforeKill.stream().map(a -> a.delivery).collect(Collectors.toSet());
    assertTrue(seenAtKill.size() < EVENTS, "the receiver had everything before the kill: not mid-delivery");

    // ---- second node on the same stores picks up the outbox (leased rows come due after dns-timeout + timeout + 5 s)
    int ops2 = FreePorts.find();
    Path log2 = logDir.resolve("node2.log");
    Process node2 = launch(env, ops2, log2);
    Waits.until("every outbox row succeeded or dead", 45_000, () -> {
      assertTrue(node2.isAlive(), () -> "node 2 exited:\n" + read(log2));
      return count(jdbc, "SELECT count(*) FROM webhook_deliveries WHERE status IN ('succeeded', 'dead')") == EVENTS;
    });
    Waits.sleep(2 * RECEIVER_DELAY_MS + 300); // let a (wrong) late resend show up before looking

    // ---- the rows: one per event, all succeeded, and when
    Map<String, Long> succeededAt = new HashMap<>();
    Map<String, String> status = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT event_id, status, (extract(epoch FROM succeeded_at) * 1000)::bigint "
            + "FROM webhook_deliveries WHERE subscription_id = '" + sub + "'")) {
      while (rs.next()) {
        status.put(rs.getString(1), rs.getString(2));
        long at = rs.getLong(3);
        if (!rs.wasNull()) {
          succeededAt.put(rs.getString(1), at);
        }
      }
    }
    assertEquals(eventIds, status.keySet(), "one outbox row per event");
    Map<String, Long> byStatus = status.values().stream()
        .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    assertEquals(Map.of("succeeded", (long) EVENTS), byStatus, "every delivery succeeded (none dead)");

    List<Arrival> all = List.copyOf(arrivals);
    Map<String, Long> times = arrivalsById(all);
    String summary = "killed after " + beforeKill.size() + " arrivals (" + ackedAtKill.size() + " answered, "
        + succeededAtKill + " rows succeeded at the kill); " + all.size() + " arrivals in all";

    // none lost: every event reached the receiver and was answered 2xx
    Set<String> missing = new HashSet<>(eventIds);
    missing.removeAll(times.keySet());
    assertTrue(missing.isEmpty(), () -> missing.size() + " events never reached the receiver; " + summary);
    Set<String> neverAnswered = new HashSet<>(eventIds);
    all.stream().filter(a -> a.answeredAt != 0).forEach(a -> neverAnswered.remove(a.delivery));
    assertTrue(neverAnswered.isEmpty(), () -> neverAnswered + " never got a 2xx from the receiver; " + summary);
    assertTrue(times.keySet().stream().allMatch(eventIds::contains), "only our events were delivered");

    // repeats: only what the killed node had in flight (at most the per-endpoint limit), each sent once by each node
    Map<String, Long> repeated = new TreeMap<>(times);
    repeated.values().removeIf(n -> n == 1);
    List<String> problems = new ArrayList<>();
    assertTrue(repeated.size() <= PER_ENDPOINT, () -> repeated.size() + " deliveries repeated, more than the "
        + PER_ENDPOINT + " a killed node can have in flight: " + repeated + "; " + summary);
    Map<String, Long> beforeKillById = arrivalsById(beforeKill);
    for (Map.Entry<String, Long> r : repeated.entrySet()) {
      String id = r.getKey();
      if (r.getValue() != 2) {
        problems.add(id + " received " + r.getValue() + " times");
      }
      if (beforeKillById.getOrDefault(id, 0L) != 1) {
        problems.add(id + " received " + beforeKillById.getOrDefault(id, 0L) + " times before the kill");
      }
      // the first copy was in flight at the kill: answered (2xx written) at most ~timeout before it, or unanswered
      beforeKill.stream().filter(a -> a.delivery.equals(id)).forEach(a -> {
        if (a.answeredAt != 0 && a.answeredAt < killAt - TIMEOUT_MS) {
          problems.add(id + " repeated though answered " + (killAt - a.answeredAt) + " ms before the kill: " + a);
        }
      });
    }
    // nothing was sent twice by one node: the only repeats are across the kill
    times.forEach((id, n) -> {
      if (n > 1 && !repeated.containsKey(id)) {
        problems.add(id + " unexpected repeat");
      }
    });

    // none resent after success: no arrival later than the record of the row's success
    for (Arrival a : all) {
      Long ok = succeededAt.get(a.delivery);
      if (ok != null && a.arrivedAt > ok + CLOCK_TOLERANCE_MS) {
        problems.add(a.delivery + " arrived " + (a.arrivedAt - ok) + " ms after its row was recorded succeeded: " + a);
      }
    }
    // in particular (no clocks involved): nothing the killed node had recorded succeeded came again after its death
    for (Arrival a : all) {
      if (a.arrivedAt > deadAt && succeededAtKillIds.contains(a.delivery)) {
        problems.add(a.delivery + " was recorded succeeded before the kill and arrived again after it: " + a);
      }
    }
    assertTrue(problems.isEmpty(), () -> String.join("\n", problems) + "\n" + summary
        + "; repeated " + repeated + "; kill at " + killAt + ", dead at " + deadAt);
    System.out.println("WebhooksCrashIT: " + summary + "; repeated across the kill: " + repeated.size()
        + " (" + repeated.keySet().stream().filter(ackedAtKill::contains).count() + " of them answered before the kill)");
  }
}
