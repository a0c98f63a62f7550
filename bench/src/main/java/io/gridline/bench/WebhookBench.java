package io.gridline.bench;

import io.gridline.codecs.Codecs;
import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaJsonCodec;
import io.gridline.codecs.Rfc3339;
import io.gridline.contracts.Topics;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.runtime.PgUrl;
import io.gridline.runtime.SecretBox;
import io.gridline.sql.Migrations;
import io.gridline.testkit.TestConfig;
import io.gridline.testkit.TestStores;
import io.gridline.webhooks.WebhooksVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The webhooks verticle ("Measure" of the webhooks work, bench/RESULTS.md) in this JVM: an embedded Kafka broker
 * ({@code TestStores.kafkaBootstrap()},
 * topic {@code gridline.events}), the machine PostgreSQL (a fresh database with migrations for every scenario and run,
 * {@code TestStores.pgUrl()}), receivers that are Vert.x HTTP servers on 127.0.0.1 (own Vert.x instance, answer 204 at
 * once, one port = one endpoint), subscriptions inserted as the API stores them (secret sealed with the subscription id
 * as associated data), events produced with a plain Kafka producer. The verticle runs with the defaults of every
 * {@code webhooks.*} key except {@code allow-http} and {@code allow-private-targets} (receivers are http://127.0.0.1),
 * and {@code pg.pool-size} 8 (the node's default). Every scenario deploys the verticle afresh, sends one warm-up event
 * and waits for its deliveries (partitions assigned, connections open) before measuring.
 *
 * <ol>
 *   <li><b>Throughput</b>: 1 subscription, a backlog of {@code backlog} events produced at once (over {@code devices}
 *       device ids, so ordering lanes do not serialize them); deliveries succeeded per second from the first send to
 *       the receiver's last 2xx, median of {@code runs}. Also when the outbox held all rows (ingest) and a check that
 *       the database recorded every success.</li>
 *   <li><b>Latency</b>: events at a fixed rate for {@code latencySeconds} (after 3 s unmeasured), with 1 subscription
 *       at {@code rate1} events/s and with 100 subscriptions on 100 receivers (100 endpoints) at {@code rate100}
 *       events/s (each event fans out to 100 deliveries: deliveries/s = 100 × rate100). The receiver records
 *       now − {@code occurredAt} of the body (set by the producer at send; millisecond resolution, same clock);
 *       p50/p99/max over every measured delivery. The default rates (50 deliveries/s and 100 deliveries/s) stay well
 *       below the throughput of part 1 and part 3 (one endpoint gets at most {@code max-concurrency-per-endpoint} = 4
 *       attempts in flight), so they measure latency, not a growing queue: check "n of n delivered".</li>
 *   <li><b>One dead endpoint</b>: 4 healthy subscriptions on 4 receivers, {@code deadBacklog} events (so 4 ×
 *       deadBacklog healthy deliveries), healthy deliveries/s with no dead subscription (baseline), with a 5th
 *       subscription to an endpoint that accepts connections and never answers (hang: every attempt waits for
 *       {@code webhooks.timeout-ms}), and with one to a closed port (connection refused). Variants interleaved per run;
 *       medians and ratios against the baseline.</li>
 * </ol>
 *
 * CPU of this JVM (utime + stime from /proc, 100% = one core) over each measured window: it holds the verticle, Kafka,
 * the producer and the receivers; PostgreSQL is a separate process and not counted.
 *
 * <pre>
 * mvn -q -pl bench exec:java -Dexec.mainClass=io.gridline.bench.WebhookBench -Dexec.args="3 3000 50 1 15 1000 100 all"
 *   (runs, backlog events, rate1 events/s, rate100 events/s, latencySeconds, deadBacklog events, devices, parts)
 * </pre>
 * {@code parts}: {@code all}, or a comma list of {@code throughput}, {@code latency}, {@code dead}. Needs the machine's
 * PostgreSQL on 127.0.0.1:5432 (else TestStores starts an embedded one). Run without {@code -o} (exec plugin).
 */
public final class WebhookBench {
  private static final String WARMUP = "bench.warmup";
  private static final String RAMP = "bench.ramp";
  private static final String MEASURE = "bench.measure";
  private static final String BACKLOG = "bench.backlog";
  private static final int PARTITIONS = 6;

  private static int devices;
  private static String kafka;
  private static KafkaProducer<String, byte[]> producer;
  private static final Vertx vertx = Vertx.vertx();
  private static final Vertx receivers = Vertx.vertx();

  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int runs = intArg(args, 0, 3);
    int backlog = intArg(args, 1, 3_000);
    int rate1 = intArg(args, 2, 50);
    int rate100 = intArg(args, 3, 1);
    int latencySeconds = intArg(args, 4, 15);
    int deadBacklog = intArg(args, 5, 1_000);
    devices = intArg(args, 6, 100);
    String parts = args.length > 7 ? args[7] : "all";
    boolean all = parts.equals("all");
    Set<String> which = Set.of(parts.split(","));

    System.out.printf(Locale.ROOT, "WebhookBench: runs %d, backlog %,d events (1 subscription), latency %d ev/s × 1 "
            + "subscription and %d ev/s × 100 subscriptions for %d s (+3 s unmeasured), dead-endpoint backlog %,d events × "
            + "4 healthy subscriptions, %d devices, %d partitions, %d cores, Java %s%n", runs, backlog, rate1, rate100,
        latencySeconds, deadBacklog, devices, PARTITIONS, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    System.out.println("verticle config: webhooks.* defaults (timeout-ms 5000, concurrency 64, max-concurrency-per-endpoint"
        + " 4, circuit-failure-threshold 5, circuit-open-ms 30000, backoff-base PT1S, poll-interval-ms 200) except "
        + "allow-http=true, allow-private-targets=true; pg.pool-size 8; one instance");

    long started = System.nanoTime();
    Codecs.registerAll(vertx);
    kafka = TestStores.kafkaBootstrap();
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(Topics.EVENTS, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    p.put("acks", "all");
    p.put("linger.ms", "1");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    Map<String, String> summary = new LinkedHashMap<>();

    if (all || which.contains("throughput")) {
      System.out.printf("%n1. throughput: backlog of %,d events, 1 subscription, fast receiver (204)%n", backlog);
      List<Double> rates = new ArrayList<>();
      List<Double> cpus = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        Drain d = drain(run, backlog, 1, Dead.NONE);
        rates.add(d.rate);
        cpus.add(d.cpu);
      }
      summary.put("1. deliveries/s, 1 subscription, backlog " + String.format(Locale.ROOT, "%,d", backlog),
          String.format(Locale.ROOT, "%,.0f /s (bench JVM cpu %.0f%%)", Stats.median(rates), Stats.median(cpus)));
    }

    if (all || which.contains("latency")) {
      System.out.printf("%n2. event → 2xx latency at a fixed rate%n");
      Latency one = latency(1, rate1, latencySeconds);
      Latency hundred = latency(100, rate100, latencySeconds);
      summary.put("2. latency, 1 subscription, " + rate1 + " ev/s = " + rate1 + " deliveries/s", one.toString());
      summary.put("2. latency, 100 subscriptions, " + rate100 + " ev/s = " + rate100 * 100 + " deliveries/s",
          hundred.toString());
    }

    if (all || which.contains("dead")) {
      System.out.printf("%n3. one dead endpoint: 4 healthy endpoints, %,d events (%,d healthy deliveries) per run%n",
          deadBacklog, 4 * deadBacklog);
      Map<Dead, List<Double>> rates = new LinkedHashMap<>();
      Map<Dead, List<Double>> cpus = new LinkedHashMap<>();
      Dead[] variants = Dead.values();
      for (int run = 1; run <= runs; run++) {
        for (int v = 0; v < variants.length; v++) {
          Dead dead = variants[(v + run - 1) % variants.length]; // order rotated per run: none is first only once
          Drain d = drain(run, deadBacklog, 4, dead);
          rates.computeIfAbsent(dead, k -> new ArrayList<>()).add(d.rate);
          cpus.computeIfAbsent(dead, k -> new ArrayList<>()).add(d.cpu);
        }
      }
      double base = Stats.median(rates.get(Dead.NONE));
      for (Dead dead : Dead.values()) {
        double m = Stats.median(rates.get(dead));
        summary.put("3. healthy deliveries/s, 4 endpoints, " + dead.label,
            String.format(Locale.ROOT, "%,.0f /s, ratio %.2fx (bench JVM cpu %.0f%%)", m, m / base,
                Stats.median(cpus.get(dead))));
      }
    }

    System.out.printf("%nSummary (medians of %d runs where runs apply; %.0f s in all)%n", runs,
        (System.nanoTime() - started) / 1e9);
    summary.forEach((k, v) -> System.out.printf("  %-68s %s%n", k, v));
    producer.close();
    vertx.close().await(30, TimeUnit.SECONDS);
    receivers.close().await(30, TimeUnit.SECONDS);
    System.exit(0);
  }

  // ---- scenarios

  enum Dead {
    NONE("no dead endpoint (baseline)"),
    HANG("+1 hanging (accepts, never answers)"),
    REFUSED("+1 refusing connections");

    final String label;

    Dead(String label) {
      this.label = label;
    }
  }

  record Drain(double rate, double cpu) {}

  /** Healthy subscriptions (own receivers) and maybe a dead one; a backlog of {@code events}; healthy deliveries/s. */
  private static Drain drain(int run, int events, int healthy, Dead dead) throws Exception {
    Sink sink = new Sink();
    List<HttpServer> servers = new ArrayList<>();
    DeadEndpoint deadEndpoint = null;
    try (Env env = new Env()) {
      for (int i = 0; i < healthy; i++) {
        HttpServer s = receiver(sink, null);
        servers.add(s);
        env.subscribe("http://127.0.0.1:" + s.actualPort() + "/hook");
      }
      UUID deadSub = null;
      if (dead != Dead.NONE) {
        deadEndpoint = new DeadEndpoint(dead);
        deadSub = env.subscribe("http://127.0.0.1:" + deadEndpoint.port + "/hook");
      }
      env.deploy();
      env.warmup(sink, healthy);
      long expected = (long) events * healthy;
      sink.arm(expected);
      double cpu0 = cpuSec();
      long t0 = System.nanoTime();
      for (int i = 0; i < events; i++) {
        env.send(BACKLOG, 1 + i % devices, System.currentTimeMillis());
      }
      producer.flush();
      double produced = (System.nanoTime() - t0) / 1e9;
      long rows = (long) events * (healthy + (dead == Dead.NONE ? 0 : 1));
      double ingested = -1;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!sink.reached.await(100, TimeUnit.MILLISECONDS)) {
        if (ingested < 0 && env.count("SELECT count(*) FROM webhook_deliveries WHERE event_type = '" + BACKLOG + "'")
            >= rows) {
          ingested = (System.nanoTime() - t0) / 1e9;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out: " + sink.count.get() + " of " + expected + " deliveries");
        }
      }
      double seconds = (sink.reachedAt - t0) / 1e9;
      double cpu = 100 * (cpuSec() - cpu0) / seconds;
      if (ingested < 0
          && env.count("SELECT count(*) FROM webhook_deliveries WHERE event_type = '" + BACKLOG + "'") >= rows) {
        ingested = seconds;
      }
      String notDead = deadSub == null ? "" : " AND subscription_id <> '" + deadSub + "'";
      long recorded = env.awaitCount("SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded' AND "
          + "event_type = '" + BACKLOG + "'" + notDead, expected, 10_000);
      String deadState = "";
      if (deadSub != null) {
        deadState = String.format(Locale.ROOT, "; dead endpoint: %d attempts on %d rows, %d rows still due/leased",
            env.count("SELECT coalesce(sum(attempts), 0) FROM webhook_deliveries WHERE subscription_id = '" + deadSub + "'"),
            env.count("SELECT count(*) FROM webhook_deliveries WHERE attempts > 0 AND subscription_id = '" + deadSub + "'"),
            env.count("SELECT count(*) FROM webhook_deliveries WHERE status IN ('pending', 'retrying') "
                + "AND subscription_id = '" + deadSub + "'"));
      }
      double rate = expected / seconds;
      System.out.printf(Locale.ROOT, "  run %d %-42s %,d deliveries in %.2f s = %,.0f /s (produced in %.2f s, outbox "
              + "complete after %s, recorded succeeded %,d) bench JVM cpu %.0f%%%s%n", run,
          dead == Dead.NONE && healthy == 1 ? "" : dead.label + ":", expected, seconds, rate, produced,
          ingested < 0 ? "—" : String.format(Locale.ROOT, "%.2f s", ingested), recorded, cpu, deadState);
      if (deadEndpoint != null) {
        deadEndpoint.release();
      }
      return new Drain(rate, cpu);
    } finally {
      for (HttpServer s : servers) {
        s.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  record Latency(int subs, int rate, long sent, long delivered, long expected, double window, double p50, double p99,
      double max, double cpu) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms, max %.0f ms (%,d of %,d delivered, %,.0f deliveries/s"
          + " achieved, bench JVM cpu %.0f%%)", p50, p99, max, delivered, expected, delivered / window, cpu);
    }
  }

  private static Latency latency(int subs, int rate, int seconds) throws Exception {
    Sink sink = new Sink();
    long[] lat = new long[(int) Math.min(Integer.MAX_VALUE - 8, (long) rate * (seconds + 2) * subs + 1024)];
    AtomicInteger n = new AtomicInteger();
    Recorder recorder = new Recorder(lat, n);
    List<HttpServer> servers = new ArrayList<>();
    try (Env env = new Env()) {
      for (int i = 0; i < subs; i++) {
        HttpServer s = receiver(sink, recorder);
        servers.add(s);
        env.subscribe("http://127.0.0.1:" + s.actualPort() + "/hook");
      }
      env.deploy();
      env.warmup(sink, subs);
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime();
      long measureFrom = start + TimeUnit.SECONDS.toNanos(3);
      long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
      long next = start;
      long sent = 0;
      long i = 0;
      double cpu0 = Double.NaN;
      while (true) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        long wait = next - now;
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
        next += interval;
        boolean measured = now >= measureFrom;
        if (measured && Double.isNaN(cpu0)) {
          cpu0 = cpuSec();
        }
        env.send(measured ? MEASURE : RAMP, 1 + i++ % devices, System.currentTimeMillis());
        if (measured) {
          sent++;
        }
      }
      double cpu = 100 * (cpuSec() - cpu0) / seconds;
      producer.flush();
      long expected = sent * subs;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (sink.measured.get() < expected && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      int count = Math.min(n.get(), lat.length);
      long[] sorted = Stats.sorted(lat, count);
      Latency l = new Latency(subs, rate, sent, sink.measured.get(), expected, seconds,
          Stats.percentile(sorted, count, 50), Stats.percentile(sorted, count, 99),
          count > 0 ? sorted[count - 1] / 1e6 : Double.NaN, cpu);
      System.out.printf(Locale.ROOT, "  %d subscription%s on %d endpoint%s, %d ev/s = %,d deliveries/s offered, %d s: %s%n",
          subs, subs == 1 ? "" : "s", subs, subs == 1 ? "" : "s", rate, rate * subs, seconds, l);
      return l;
    } finally {
      for (HttpServer s : servers) {
        s.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  // ---- receivers

  /** Counts 2xx answers of a group of receivers; notes when {@link #arm}'s target is reached. */
  static final class Sink {
    final AtomicLong count = new AtomicLong();
    final AtomicLong measured = new AtomicLong();
    volatile long target = Long.MAX_VALUE;
    volatile long reachedAt;
    volatile CountDownLatch reached = new CountDownLatch(1);

    void hit(boolean isMeasured) {
      long n = count.incrementAndGet();
      if (isMeasured) {
        measured.incrementAndGet();
      }
      if (n == target) {
        reachedAt = System.nanoTime();
        reached.countDown();
      }
    }

    /** After the warm-up (no delivery in flight): counts from 0 towards {@code target}. */
    void arm(long target) {
      reached = new CountDownLatch(1);
      count.set(0);
      this.target = target;
    }
  }

  /** now − occurredAt of measured events, in nanoseconds (millisecond resolution). */
  record Recorder(long[] lat, AtomicInteger n) {
    void record(String body) {
      int at = body.indexOf("\"occurredAt\":\"");
      if (at < 0) {
        return;
      }
      int from = at + 14;
      long occurred = Rfc3339.parse(body.substring(from, body.indexOf('"', from)));
      long ms = System.currentTimeMillis() - occurred;
      int i = n.getAndIncrement();
      if (i < lat.length) {
        lat[i] = ms * 1_000_000L;
      }
    }
  }

  /** A fast receiver on 127.0.0.1 and a free port: 204 at once (after the request's end). */
  private static HttpServer receiver(Sink sink, Recorder recorder) throws Exception {
    HttpServer server = receivers.createHttpServer().requestHandler(req -> {
      if (recorder == null) {
        req.end().onComplete(ar -> {
          req.response().setStatusCode(204).end();
          sink.hit(false);
        });
      } else {
        req.body().onComplete(ar -> {
          boolean measured = MEASURE.equals(req.getHeader("X-Gridline-Event"));
          if (measured && ar.succeeded()) {
            recorder.record(ar.result().toString());
          }
          req.response().setStatusCode(204).end();
          sink.hit(measured);
        });
      }
    });
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  /** HANG: accepts and reads, never answers; REFUSED: a port that was free and is closed again. */
  static final class DeadEndpoint {
    final int port;
    private final NetServer server;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();

    DeadEndpoint(Dead kind) throws Exception {
      if (kind == Dead.HANG) {
        server = receivers.createNetServer().connectHandler(s -> {
          sockets.add(s);
          s.handler(b -> { });
          s.closeHandler(v -> sockets.remove(s));
        });
        port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
      } else {
        server = null;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
          port = s.getLocalPort();
        }
      }
    }

    /** Ends the attempts in flight (their connections close) and refuses new ones, so the undeploy need not wait. */
    void release() throws Exception {
      if (server != null) {
        server.close().await(10, TimeUnit.SECONDS);
      }
      sockets.forEach(NetSocket::close);
    }
  }

  // ---- the verticle, its database and its events

  /** A fresh migrated database, one tenant, the subscriptions, and the deployed verticle (undeployed on close). */
  static final class Env implements AutoCloseable {
    final String pgUrl = TestStores.pgUrl();
    final String jdbc = TestStores.pgJdbcUrl(pgUrl);
    final String key = SecretBox.generateKey();
    final SecretBox box = SecretBox.fromBase64(key);
    final UUID tenant = UUID.randomUUID();
    String deployment;

    Env() {
      PgUrl pg = PgUrl.parse(pgUrl);
      Migrations.migrate(pg.jdbcUrl(), pg.user(), pg.password());
      execute("INSERT INTO tenants (id, name, max_devices) VALUES ('" + tenant + "', 'bench', 100000)");
    }

    UUID subscribe(String url) {
      UUID id = UUID.randomUUID();
      byte[] aad = id.toString().getBytes(StandardCharsets.UTF_8);
      try (Connection c = DriverManager.getConnection(jdbc); PreparedStatement st = c.prepareStatement(
          "INSERT INTO webhook_subscriptions (id, tenant_id, url, event_types, secret) VALUES (?, ?, ?, ?, ?)")) {
        st.setObject(1, id);
        st.setObject(2, tenant);
        st.setString(3, url);
        st.setArray(4, c.createArrayOf("text", new String[] {"*"}));
        st.setBytes(5, box.seal(("whsec-bench-" + id).getBytes(StandardCharsets.UTF_8), aad));
        st.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return id;
    }

    void deploy() throws Exception {
      JsonObject config = TestConfig.defaults()
          .put("node.id", "bench")
          .put("kafka.bootstrap-servers", kafka)
          .put("pg.url", pgUrl)
          .put("secrets.encryption-key", key)
          .put("webhooks.allow-http", true)
          .put("webhooks.allow-private-targets", true);
      deployment = vertx.deployVerticle(new WebhooksVerticle(), new DeploymentOptions().setConfig(config))
          .await(60, TimeUnit.SECONDS);
    }

    /** One event, and its deliveries to the {@code healthy} receivers (consumer assigned, connections open). */
    void warmup(Sink sink, int healthy) throws Exception {
      Thread.sleep(20); // occurredAt after the subscriptions' created_at
      send(WARMUP, 1, System.currentTimeMillis());
      producer.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (sink.count.get() < healthy) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("warm-up event not delivered within 60 s");
        }
        Thread.sleep(10);
      }
    }

    void send(String type, long device, long occurredAt) {
      DeviceEvent e = new DeviceEvent(UUID.randomUUID().toString(), type, tenant.toString(), device, "mqtt", occurredAt,
          new JsonObject().put("n", 1));
      ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.EVENTS, String.valueOf(device),
          KafkaCodecs.DEVICE_EVENT.encode(e).getBytes());
      r.headers().add(KafkaJsonCodec.SCHEMA_HEADER, "1".getBytes(StandardCharsets.UTF_8));
      producer.send(r);
    }

    long count(String sql) {
      try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    long awaitCount(String sql, long expected, long timeoutMs) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMs;
      long n;
      while ((n = count(sql)) < expected && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      return n;
    }

    void execute(String sql) {
      try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
        st.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    @Override
    public void close() throws Exception {
      if (deployment != null) {
        vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);
      }
    }
  }

  private static double cpuSec() {
    return MqttBench.procCpuSec(ProcessHandle.current().pid());
  }

  private static int intArg(String[] args, int i, int fallback) {
    return args.length > i && !args[i].isEmpty() ? Integer.parseInt(args[i]) : fallback;
  }
}
