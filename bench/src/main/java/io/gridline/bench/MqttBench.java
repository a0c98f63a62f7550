package io.gridline.bench;

import io.gridline.devservices.EmbeddedKafka;
import io.gridline.devservices.FreePorts;
import io.gridline.testkit.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Issue 3, measure 1: QoS 1 publishes/s acknowledged (PUBACK) by the node's mqtt-bridge (which acks only after Kafka
 * acked the record) vs the same load against a private Mosquitto (broker only), in one invocation, runs alternating.
 *
 * <p>Generator: C Paho MqttAsyncClient connections (MQTT 3.1.1, clean session), each keeping at most W QoS 1 publishes
 * unacknowledged (a semaphore of W permits; Paho's own max-inflight set above W so it never refuses), payload the
 * FACES2 JSON {@code {"timestamp":"<RFC 3339 ms>","data":"00D7024E01F4"}} (60 bytes) on
 * {@code stat/f2-<mac>/sensor-mode/1/sensor-1}. Each run: connect, warm-up, count PUBACKs over D seconds, disconnect.
 *
 * <p>Gridline side: the node jar with {@code --verticles mqtt-bridge,api}, machine PostgreSQL (fresh database) and Redis
 * via TestStores, and a Kafka broker started inside this bench JVM (so the node's CPU is the node's own).
 *
 * <p>Usage: {@code mvn -q -pl bench exec:java -Dexec.mainClass=io.gridline.bench.MqttBench
 * -Dexec.args="[clients] [window] [seconds] [runs] [warmupSeconds]"} (defaults 20 50 10 5 3).
 */
public final class MqttBench {
  private static final String ENCRYPTION_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  private static final String ADMIN_KEY = "glk_bench-admin-key-0123456789abcdefghijklmnopqrs";
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final long CLK_TCK = 100;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("latency")) {
      latency(args);
      return;
    }
    if (args.length > 0 && args[0].equals("pipeline")) {
      pipeline(args);
      return;
    }
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    System.out.printf(Locale.ROOT, "MqttBench: clients=%d window=%d qos=1 payload=%d bytes duration=%ds warmup=%ds runs=%d,"
            + " %d cores, java %s%n", clients, window, payload(0, Instant.now().toEpochMilli()).length, seconds, warmup,
        runs, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

    Path tmp = NodeProcess.tempDir("gridline-mqttbench");
    // (a) Mosquitto, broker only
    int mosqPort = FreePorts.find();
    Path conf = tmp.resolve("mosquitto.conf");
    Files.writeString(conf, "listener " + mosqPort + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
        + "log_dest none\n");
    Process mosq = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("mosquitto.log").toFile()).start();
    awaitPort(mosqPort);

    // (b) Gridline node with a Kafka broker in this JVM
    EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
    NodeEnv ne = NodeEnv.of(kafka);
    int apiPort = ne.apiPort();
    int mqttPort = ne.mqttPort();
    Path nodeLog = tmp.resolve("node.log");
    System.out.println("  node log: " + nodeLog + ", Kafka " + kafka.bootstrapServers() + " (in the bench JVM)");
    List<Double> mosqRates = new ArrayList<>();
    List<Double> gridRates = new ArrayList<>();
    try (NodeProcess node = NodeProcess.launch(ne.env(), ne.opsPort(), nodeLog, "--verticles", "mqtt-bridge,api")) {
      node.awaitReady(Duration.ofSeconds(180));
      registerDevices(apiPort, clients);
      long nodePid = node.pid();
      for (int i = 0; i < runs; i++) {
        Result m = load("tcp://127.0.0.1:" + mosqPort, clients, window, seconds, warmup, mosq.pid());
        Result g = load("tcp://127.0.0.1:" + mqttPort, clients, window, seconds, warmup, nodePid);
        mosqRates.add(m.rate);
        gridRates.add(g.rate);
        System.out.printf(Locale.ROOT, "  run %d: Mosquitto %.0f acked/s (broker cpu %.0f%%, bench JVM %.0f%% of which"
                + " generator %.0f%%) | Gridline %.0f acked/s (node cpu %.0f%%, bench JVM %.0f%% of which generator %.0f%%,"
                + " Kafka+rest %.0f%%) | ratio %.2fx | errors %d/%d%n", i + 1, m.rate, m.serverCpu, m.benchCpu, m.genCpu,
            g.rate, g.serverCpu, g.benchCpu, g.genCpu, g.benchCpu - g.genCpu, g.rate / m.rate, m.errors, g.errors);
      }
    } finally {
      mosq.destroy();
      mosq.waitFor(10, TimeUnit.SECONDS);
      kafka.close();
    }
    double mm = Stats.median(mosqRates);
    double gm = Stats.median(gridRates);
    System.out.printf(Locale.ROOT, "QoS 1 publishes acked/s (median of %d): Mosquitto %.0f, Gridline mqtt-bridge→Kafka %.0f,"
        + " ratio %.2fx (goal >= 1.0x)%n", runs, mm, gm, gm / mm);
    System.exit(0);
  }

  /**
   * Measure 4: publish → row latency at a fixed rate. Args: {@code latency [rate/s] [seconds] [clients] [warmup]}.
   * Every publish carries its send time (epoch ms, strictly increasing per device) as the reading timestamp; a JDBC
   * poller queries device 0's new timestamps in decoded_data every 5 ms and takes latency = wall clock at first sight −
   * timestamp (resolution ≈ the 5 ms poll plus the query time; rows up to 3 s out of order are still
   * caught).
   */
  static void latency(String[] args) throws Exception {
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    int window = 1000;
    System.out.printf(Locale.ROOT, "MqttBench latency: %d msg/s total over %d clients, QoS 1, window %d, %d s measured after"
        + " %d s warm-up, %d cores%n", rate, clients, window, seconds, warmup, Runtime.getRuntime().availableProcessors());
    Path tmp = NodeProcess.tempDir("gridline-mqttbench-lat");
    EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
    NodeEnv ne = NodeEnv.of(kafka);
    String pgUrl = ne.pgUrl();
    int apiPort = ne.apiPort();
    Path nodeLog = tmp.resolve("node.log");
    System.out.println("  node log: " + nodeLog);
    int opsPort = ne.opsPort();
    int mqttPort = ne.mqttPort();
    try (NodeProcess node = NodeProcess.launch(ne.env(), opsPort, nodeLog, "--verticles",
        "mqtt-bridge,api,stream-processor,timescale-sink")) {
      node.awaitReady(Duration.ofSeconds(180));
      registerDevices(apiPort, clients);
      java.sql.Connection db = java.sql.DriverManager.getConnection(TestStores.pgJdbcUrl(pgUrl));
      int device0;
      try (var st = db.prepareStatement("SELECT id FROM devices WHERE external_id = ?")) {
        st.setString(1, mac(0));
        var rs = st.executeQuery();
        rs.next();
        device0 = rs.getInt(1);
      }
      LongAdder acked = new LongAdder();
      LongAdder sent = new LongAdder();
      LongAdder skipped = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      List<MqttAsyncClient> conns = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      long intervalNs = 1_000_000_000L * clients / rate;
      for (int c = 0; c < clients; c++) {
        Publisher pub = Publisher.open("tcp://127.0.0.1:" + mqttPort, c, window, acked, new LongAdder());
        conns.add(pub.client());
        MqttAsyncClient client = pub.client();
        String topic = pub.topic();
        Semaphore permits = pub.permits();
        IMqttActionListener cb = pub.callback();
        long phase = intervalNs * c / clients;
        Thread th = new Thread(() -> {
          long last = 0;
          long next = System.nanoTime() + phase;
          while (!stop.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
              java.util.concurrent.locks.LockSupport.parkNanos(wait);
              continue;
            }
            next += intervalNs;
            if (!permits.tryAcquire()) {
              skipped.increment();
              continue;
            }
            last = Math.max(System.currentTimeMillis(), last + 1);
            MqttMessage msg = new MqttMessage(payload(0, last));
            msg.setQos(1);
            try {
              client.publish(topic, msg, null, cb);
              sent.increment();
            } catch (Exception e) {
              permits.release();
            }
          }
        }, "pub-" + c);
        th.setDaemon(true);
        threads.add(th);
      }
      threads.forEach(Thread::start);
      Thread.sleep(warmup * 1000L);
      long a0 = acked.sum();
      long s0 = sent.sum();
      long k0 = skipped.sum();
      double cpuNode0 = procCpuSec(node.pid());
      double cpuBench0 = procCpuSec(ProcessHandle.current().pid());
      double gen0 = generatorCpuSec();
      long from = System.currentTimeMillis();
      long until = from + seconds * 1000L;
      long[] lat = new long[1 << 20];
      long[] sentAt = new long[lat.length];
      int n = 0;
      java.util.Set<Long> seen = new java.util.HashSet<>();
      long cursor = from;
      long polls = 0;
      try (var st = db.prepareStatement("SELECT DISTINCT \"timestamp\" FROM decoded_data WHERE device_id = ? AND"
          + " \"timestamp\" > ?")) {
        while (System.currentTimeMillis() < until + 2_000) {
          st.setInt(1, device0);
          st.setTimestamp(2, new java.sql.Timestamp(cursor - 3_000));
          var rs = st.executeQuery();
          long now = System.currentTimeMillis();
          polls++;
          while (rs.next()) {
            long ts = rs.getTimestamp(1).getTime();
            if (ts >= from && ts < until && seen.add(ts) && n < lat.length) {
              sentAt[n] = ts;
              lat[n++] = (now - ts) * 1_000_000L;
            }
            cursor = Math.max(cursor, ts);
          }
          Thread.sleep(5);
        }
      }
      double cpuNode = procCpuSec(node.pid()) - cpuNode0;
      double cpuBench = procCpuSec(ProcessHandle.current().pid()) - cpuBench0;
      double gen = generatorCpuSec() - gen0;
      long a1 = acked.sum();
      long s1 = sent.sum();
      long k1 = skipped.sum();
      stop.set(true);
      for (Thread th : threads) {
        th.join(2_000);
      }
      for (MqttAsyncClient client : conns) {
        try {
          client.disconnect(2_000).waitForCompletion(3_000);
        } catch (Exception ignored) {
          // done
        }
        client.close(true);
      }
      double wall = (System.currentTimeMillis() - from) / 1000.0;
      long expected0;
      try (var st = db.prepareStatement("SELECT count(DISTINCT \"timestamp\") FROM decoded_data WHERE device_id = ?"
          + " AND \"timestamp\" >= ? AND \"timestamp\" < ?")) {
        st.setInt(1, device0);
        st.setTimestamp(2, new java.sql.Timestamp(from));
        st.setTimestamp(3, new java.sql.Timestamp(until));
        var rs = st.executeQuery();
        rs.next();
        expected0 = rs.getLong(1);
      }
      System.out.printf(Locale.ROOT, "  CPU over the window (100%% = 1 core): node %.0f%%, bench JVM %.0f%% (generator %.0f%%,"
          + " Kafka + poller %.0f%%)%n", 100 * cpuNode / wall, 100 * cpuBench / wall, 100 * gen / wall,
          100 * (cpuBench - gen) / wall);
      printPerSecond(from, sentAt, lat, n);
      long[] sorted = Stats.sorted(lat, n);
      System.out.printf(Locale.ROOT, "  over %.1f s (incl. 2 s drain): sent %.0f/s, acked %.0f/s, skipped (window full) %d;"
              + " device 0: %d readings seen by the poller of %d stored in the window, %d polls%n", wall,
          (s1 - s0) / wall, (a1 - a0) / wall, k1 - k0, n, expected0, polls);
      System.out.printf(Locale.ROOT, "publish → decoded_data row latency at %d msg/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              + " (n=%d, goal p99 < 50 ms)%n", rate, Stats.percentile(sorted, n, 50), Stats.percentile(sorted, n, 99),
          n > 0 ? sorted[n - 1] / 1e6 : Double.NaN, n);
      printStageQuantiles(opsPort);
      db.close();
    } finally {
      kafka.close();
    }
    System.exit(0);
  }

  /** Latency by the second the reading was sent in: shows whether the tail is a steady state or a few stalls. */
  static void printPerSecond(long from, long[] sentAt, long[] lat, int n) {
    java.util.TreeMap<Long, List<Long>> bySecond = new java.util.TreeMap<>();
    for (int i = 0; i < n; i++) {
      bySecond.computeIfAbsent((sentAt[i] - from) / 1000, k -> new ArrayList<>()).add(lat[i]);
    }
    StringBuilder line = new StringBuilder("  per second sent (p50/max ms):");
    bySecond.forEach((sec, xs) -> {
      long[] a = xs.stream().mapToLong(Long::longValue).sorted().toArray();
      line.append(String.format(Locale.ROOT, " %d:%.0f/%.0f", sec, a[a.length / 2] / 1e6, a[a.length - 1] / 1e6));
    });
    System.out.println(line);
  }

  /**
   * The node's own stage timers (client-side p50/p99 over Micrometer's last ~2 minutes, so warm-up included): where
   * the publish → row latency is spent.
   */
  static void printStageQuantiles(int opsPort) throws Exception {
    String body = metricsText(opsPort);
    System.out.println("  node stage timers (seconds; quantiles over the last ~2 min):");
    body.lines()
        .filter(l -> !l.contains("_bucket") && (l.startsWith("gridline_processor_") || l.startsWith("gridline_sink_")
            || l.startsWith("gridline_mqtt_kafka_send")))
        .forEach(l -> System.out.println("    " + l));
  }

  static void awaitPort(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (Exception notYet) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("mosquitto not listening on " + port);
  }

  static String mac(int i) {
    return String.format(Locale.ROOT, "b0:0b:00:00:%02x:%02x", (i >> 8) & 0xFF, i & 0xFF);
  }

  static void registerDevices(int apiPort, int clients) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      WebClient web = WebClient.create(vertx);
      JsonObject tenant = web.post(apiPort, "127.0.0.1", "/api/v1/tenants").bearerTokenAuthentication(ADMIN_KEY)
          .sendJsonObject(new JsonObject().put("name", "mqtt-bench").put("maxDevices", clients + 10)).await()
          .bodyAsJsonObject();
      String key = web.post(apiPort, "127.0.0.1", "/api/v1/tenants/" + tenant.getString("id") + "/api-keys")
          .bearerTokenAuthentication(ADMIN_KEY).sendJsonObject(new JsonObject().put("role", "write")).await()
          .bodyAsJsonObject().getString("key");
      for (int i = 0; i < clients; i++) {
        var r = web.post(apiPort, "127.0.0.1", "/api/v1/devices").bearerTokenAuthentication(key)
            .sendJsonObject(new JsonObject().put("kind", "mqtt").put("externalId", mac(i)).put("name", "bench-" + i)
                .put("metadata", new JsonObject().put("model", "faces2"))).await();
        if (r.statusCode() != 201) {
          throw new IllegalStateException("device create " + r.statusCode() + " " + r.bodyAsString());
        }
      }
    } finally {
      vertx.close().await();
    }
  }

  static byte[] payload(int seq, long epochMs) {
    return ("{\"timestamp\":\"" + TS.format(Instant.ofEpochMilli(epochMs + seq)) + "\",\"data\":\"00D7024E01F4\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Ports and environment of the node under test: stores given, MQTT without auth or rate limit, overrides passed on. */
  record NodeEnv(Map<String, String> env, String pgUrl, int apiPort, int mqttPort, int opsPort) {
    /**
     * {@code MQTTBENCH_GRIDLINE_*} variables reach the node as {@code GRIDLINE_*} (e.g. {@code MQTTBENCH_GRIDLINE_SINK_LINGER_MS}),
     * {@code MQTTBENCH_NODE_JAVA_TOOL_OPTIONS} as its {@code JAVA_TOOL_OPTIONS} (JFR, heap flags).
     */
    static NodeEnv of(EmbeddedKafka kafka) {
      String pgUrl = TestStores.pgUrl();
      int apiPort = FreePorts.find();
      int mqttPort = FreePorts.find();
      Map<String, String> env = new HashMap<>();
      env.put("GRIDLINE_PG_URL", pgUrl);
      env.put("GRIDLINE_REDIS_URL", TestStores.redisUrl());
      env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
      env.put("GRIDLINE_SECRETS_ENCRYPTION_KEY", ENCRYPTION_KEY);
      env.put("GRIDLINE_API_ADMIN_KEY", ADMIN_KEY);
      env.put("GRIDLINE_API_PORT", Integer.toString(apiPort));
      env.put("GRIDLINE_API_RATE_LIMIT", "0"); // registerDevices creates every device with one key, back to back
      env.put("GRIDLINE_MQTT_PORT", Integer.toString(mqttPort));
      env.put("GRIDLINE_MQTT_REQUIRE_AUTH", "false");
      env.put("GRIDLINE_MQTT_MAX_PUBLISH_RATE", "10000000");
      env.put("GRIDLINE_MQTT_CONNECT_RATE_PER_ADDRESS", "100000"); // every generator client connects from 127.0.0.1
      System.getenv().forEach((k, v) -> {
        if (k.startsWith("MQTTBENCH_GRIDLINE_")) {
          env.put(k.substring("MQTTBENCH_".length()), v);
          System.out.println("  node env " + k.substring("MQTTBENCH_".length()) + "=" + v);
        }
      });
      String jto = System.getenv("MQTTBENCH_NODE_JAVA_TOOL_OPTIONS");
      if (jto != null) {
        env.put("JAVA_TOOL_OPTIONS", jto);
      }
      return new NodeEnv(env, pgUrl, apiPort, mqttPort, FreePorts.find());
    }
  }

  /**
   * One generator client: connected (clean session, MQTT 3.1.1, in-flight above the window), its device's mode-1 topic,
   * the window's permits and the callback that counts acks (or errors) and gives a permit back.
   */
  record Publisher(MqttAsyncClient client, String topic, Semaphore permits, IMqttActionListener callback) {
    static Publisher open(String url, int index, int window, LongAdder acked, LongAdder errors) throws Exception {
      String hex = mac(index).replace(":", "");
      MqttAsyncClient client = new MqttAsyncClient(url, "f2-" + hex, new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      o.setMaxInflight(window * 2 + 10);
      o.setKeepAliveInterval(60);
      o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      client.connect(o).waitForCompletion(10_000);
      Semaphore permits = new Semaphore(window);
      IMqttActionListener callback = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken t) {
          acked.increment();
          permits.release();
        }

        @Override
        public void onFailure(IMqttToken t, Throwable e) {
          errors.increment();
          permits.release();
        }
      };
      return new Publisher(client, "stat/f2-" + hex + "/sensor-mode/1/sensor-1", permits, callback);
    }
  }

  record Result(double rate, long errors, double serverCpu, double benchCpu, double genCpu) {}

  /** The newest reading timestamp any load() sent (epoch ms). */
  private static final java.util.concurrent.atomic.AtomicLong LAST_READING = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Measure 2: decoded data points per second end to end. One node runs mqtt-bridge, stream-processor and
   * timescale-sink; the same window-limited QoS 1 generator as Measure 1 publishes FACES2 mode-1 readings (3 values
   * each) as fast as acks allow. Per run: rows committed to decoded_data per second (the sink's own counter, read from
   * /metrics before and after), MQTT acks per second, the processor's and sink's backlog at the end, and CPU per process.
   * Args: {@code pipeline [clients] [window] [seconds] [runs] [warmup]}.
   */
  static void pipeline(String[] args) throws Exception {
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 60;
    System.out.printf(Locale.ROOT, "MqttBench pipeline: clients=%d window=%d qos=1, 3 values per publish, %d s x %d runs"
        + " after %d s warm-up, %d cores%n", clients, window, seconds, runs, warmup, Runtime.getRuntime().availableProcessors());
    Path tmp = NodeProcess.tempDir("gridline-mqttbench-pipe");
    EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
    NodeEnv ne = NodeEnv.of(kafka);
    int apiPort = ne.apiPort();
    int mqttPort = ne.mqttPort();
    int opsPort = ne.opsPort();
    Path nodeLog = tmp.resolve("node.log");
    System.out.println("  node log: " + nodeLog);
    List<Double> rowRates = new ArrayList<>();
    try (NodeProcess node = NodeProcess.launch(ne.env(), opsPort, nodeLog, "--verticles",
        "mqtt-bridge,api,stream-processor,timescale-sink")) {
      node.awaitReady(Duration.ofSeconds(180));
      registerDevices(apiPort, clients);
      String url = "tcp://127.0.0.1:" + mqttPort;
      load(url, clients, window, warmup, 0, node.pid());
      for (int i = 0; i < runs; i++) {
        double rows0 = metric(opsPort, "gridline_sink_rows_written_total");
        long t0 = System.nanoTime();
        Result g = load(url, clients, window, seconds, 0, node.pid());
        double rows = (metric(opsPort, "gridline_sink_rows_written_total") - rows0) / ((System.nanoTime() - t0) / 1e9);
        rowRates.add(rows);
        System.out.printf(Locale.ROOT, "  run %d: %.0f decoded points/s into decoded_data (%.0f readings/s) | MQTT %.0f acked/s"
                + " (%.0f points/s offered) | backlog after: processor in flight %.0f, sink lag %.0f records | CPU: node"
                + " %.0f%%, bench JVM %.0f%% (generator %.0f%%, Kafka %.0f%%)%n", i + 1, rows, rows / 3, g.rate(),
            g.rate() * 3, metric(opsPort, "gridline_processor_in_flight"), metric(opsPort, "gridline_sink_consumer_lag"),
            g.serverCpu(), g.benchCpu(), g.genCpu(), g.benchCpu() - g.genCpu());
      }
      printStageQuantiles(opsPort);
    } finally {
      kafka.close();
    }
    System.out.printf(Locale.ROOT, "decoded points/s end to end (median of %d): %.0f (goal >= 150000)%n", runs,
        Stats.median(rowRates));
    System.exit(0);
  }

  private static final java.net.http.HttpClient OPS_HTTP = java.net.http.HttpClient.newBuilder()
      .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

  /** The node's Prometheus text (HTTP/1.1: the JDK client's h2c upgrade attempt confuses a large response). */
  static String metricsText(int opsPort) throws Exception {
    var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + opsPort + "/metrics")).build();
    return OPS_HTTP.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The sum of a metric's series on the node's /metrics (0 when absent). */
  static double metric(int opsPort, String name) throws Exception {
    return metricsText(opsPort).lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  static Result load(String url, int clients, int window, int seconds, int warmup, long serverPid) throws Exception {
    LongAdder acked = new LongAdder();
    LongAdder errors = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<MqttAsyncClient> conns = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    // readings are base + seq ms: start past every earlier call's last one, so no run repeats a (time, device) key
    long base = Math.max(System.currentTimeMillis(), LAST_READING.get() + 1);
    for (int c = 0; c < clients; c++) {
      Publisher pub = Publisher.open(url, c, window, acked, errors);
      conns.add(pub.client());
      MqttAsyncClient client = pub.client();
      String topic = pub.topic();
      Semaphore permits = pub.permits();
      IMqttActionListener cb = pub.callback();
      Thread th = new Thread(() -> {
        int seq = 0;
        while (!stop.get()) {
          try {
            if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
              continue;
            }
            LAST_READING.accumulateAndGet(base + seq, Math::max);
            MqttMessage msg = new MqttMessage(payload(seq++, base));
            msg.setQos(1);
            client.publish(topic, msg, null, cb);
          } catch (Exception e) {
            errors.increment();
            permits.release();
            if (!client.isConnected()) {
              return;
            }
          }
        }
      }, "pub-" + c);
      th.setDaemon(true);
      threads.add(th);
    }
    threads.forEach(Thread::start);
    Thread.sleep(warmup * 1000L);
    long a0 = acked.sum();
    long e0 = errors.sum();
    double s0 = procCpuSec(serverPid);
    double b0 = procCpuSec(ProcessHandle.current().pid());
    double g0 = generatorCpuSec();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long a1 = acked.sum();
    long t1 = System.nanoTime();
    double s1 = procCpuSec(serverPid);
    double b1 = procCpuSec(ProcessHandle.current().pid());
    double g1 = generatorCpuSec();
    long e1 = errors.sum();
    stop.set(true);
    for (Thread th : threads) {
      th.join(5_000);
    }
    Thread.sleep(500); // let in-flight acks drain
    for (MqttAsyncClient client : conns) {
      try {
        client.disconnect(2_000).waitForCompletion(3_000);
      } catch (Exception ignored) {
        // measuring is done
      }
      client.close(true);
    }
    double wall = (t1 - t0) / 1e9;
    return new Result((a1 - a0) / wall, e1 - e0, 100 * (s1 - s0) / wall, 100 * (b1 - b0) / wall,
        100 * (g1 - g0) / wall);
  }

  /** utime + stime of a process (all threads) in seconds, from /proc. */
  static double procCpuSec(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLK_TCK;
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /** CPU seconds of this JVM's generator threads (the publishers and Paho's MQTT threads). */
  static double generatorCpuSec() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long ns = 0;
    for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (ti != null && (ti.getThreadName().startsWith("pub-") || ti.getThreadName().startsWith("MQTT"))) {
        long t = mx.getThreadCpuTime(ti.getThreadId());
        if (t > 0) {
          ns += t;
        }
      }
    }
    return ns / 1e9;
  }
}
