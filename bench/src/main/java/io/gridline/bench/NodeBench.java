package io.gridline.bench;

import io.gridline.devservices.FreePorts;
import io.gridline.testkit.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Benchmarks of the node, cluster and api, against the real node jar started as separate processes:
 * <ul>
 *   <li>{@code start}: node cold start to /health/ready, embedded stores (fresh data dir, and a reused one) vs external
 *   PostgreSQL;</li>
 *   <li>{@code cluster}: launch of two clustered nodes until each lists both in /cluster;</li>
 *   <li>{@code api}: POST /api/v1/devices and GET /api/v1/devices/{id} with 50 concurrent clients, beside the ops
 *   server's GET /health/live on the same node as the no-database ceiling.</li>
 * </ul>
 * Usage: {@code mvn -q -pl bench exec:java -Dexec.args="[start|cluster|api|all] [runs]"}. Prints medians over the runs.
 */
public final class NodeBench {
  private static final String ENCRYPTION_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  private static final String ADMIN_KEY = "glk_bench-admin-key-0123456789abcdefghijklmnopqrs";

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "all";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.printf(Locale.ROOT, "Gridline node bench: %s, %d runs, %d cores, %s%n", what, runs,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    if (what.equals("start") || what.equals("all")) {
      coldStart(runs);
    }
    if (what.equals("cluster") || what.equals("all")) {
      clusterFormation(runs);
    }
    if (what.equals("api") || what.equals("all")) {
      api(runs);
    }
    System.exit(0);
  }

  private static Map<String, String> externalEnv(String pgUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("GRIDLINE_PG_URL", pgUrl);
    env.put("GRIDLINE_SECRETS_ENCRYPTION_KEY", ENCRYPTION_KEY);
    env.put("GRIDLINE_API_ADMIN_KEY", ADMIN_KEY);
    env.put("GRIDLINE_API_PORT", Integer.toString(FreePorts.find()));
    // the api bench drives one key as hard as it can: it measures the server, not api.rate-limit
    env.put("GRIDLINE_API_RATE_LIMIT", "0");
    return env;
  }

  private static double startOnce(Map<String, String> env, String... args) throws Exception {
    int ops = FreePorts.find();
    Path log = NodeProcess.tempDir("gridline-bench-log").resolve("node.log");
    try (NodeProcess node = NodeProcess.launch(env, ops, log, args)) {
      long ready = node.awaitReady(Duration.ofSeconds(120));
      return (ready - node.launchedAtNanos()) / 1e6;
    }
  }

  static void coldStart(int runs) throws Exception {
    List<Double> fresh = new ArrayList<>();
    List<Double> reused = new ArrayList<>();
    List<Double> external = new ArrayList<>();
    Path keptData = NodeProcess.tempDir("gridline-bench-data");
    for (int i = 0; i < runs; i++) {
      Map<String, String> dev = new HashMap<>();
      dev.put("GRIDLINE_DEVSERVICES_DATA_DIR", NodeProcess.tempDir("gridline-bench-fresh").toString());
      dev.put("GRIDLINE_API_PORT", Integer.toString(FreePorts.find()));
      fresh.add(startOnce(dev, "--config", "config/dev.yaml"));

      Map<String, String> kept = new HashMap<>(dev);
      kept.put("GRIDLINE_DEVSERVICES_DATA_DIR", keptData.toString());
      double t = startOnce(kept, "--config", "config/dev.yaml");
      if (i > 0) { // the first start into keptData creates it: it is a fresh start, not a restart
        reused.add(t);
      }

      external.add(startOnce(externalEnv(TestStores.pgUrl())));
      System.out.printf(Locale.ROOT, "  run %d: embedded fresh %.0f ms, embedded restart %s, external PG %.0f ms%n", i + 1,
          fresh.get(i), i > 0 ? String.format(Locale.ROOT, "%.0f ms", t) : "-", external.get(i));
    }
    double ext = Stats.median(external);
    System.out.printf(Locale.ROOT, "cold start to ready (median of %d): embedded fresh %.0f ms (%.2fx external), "
            + "embedded restart %.0f ms (%.2fx), external PostgreSQL %.0f ms (1.00x)%n", runs,
        Stats.median(fresh), Stats.median(fresh) / ext, Stats.median(reused), Stats.median(reused) / ext, ext);
  }

  static void clusterFormation(int runs) throws Exception {
    List<Double> formed = new ArrayList<>();
    List<Double> single = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String pg = TestStores.pgUrl();
      String cluster = "bench-" + UUID.randomUUID();
      Path logs = NodeProcess.tempDir("gridline-bench-cluster");
      Map<String, String> a = externalEnv(pg);
      a.put("GRIDLINE_CLUSTER_NAME", cluster);
      a.put("GRIDLINE_NODE_ID", "bench-a");
      Map<String, String> b = externalEnv(pg);
      b.put("GRIDLINE_CLUSTER_NAME", cluster);
      b.put("GRIDLINE_NODE_ID", "bench-b");
      int opsA = FreePorts.find();
      int opsB = FreePorts.find();
      try (NodeProcess na = NodeProcess.launch(a, opsA, logs.resolve("a.log"), "--cluster", "--verticles", "api");
           NodeProcess nb = NodeProcess.launch(b, opsB, logs.resolve("b.log"), "--cluster", "--verticles", "api")) {
        long aSeesBoth = na.awaitOps("/cluster", r -> r.statusCode() == 200
            && new JsonObject(r.body()).getJsonArray("members").size() == 2, Duration.ofSeconds(120));
        long bSeesBoth = nb.awaitOps("/cluster", r -> r.statusCode() == 200
            && new JsonObject(r.body()).getJsonArray("members").size() == 2, Duration.ofSeconds(120));
        formed.add((Math.max(aSeesBoth, bSeesBoth) - na.launchedAtNanos()) / 1e6);
      }
      Map<String, String> s = externalEnv(pg);
      s.put("GRIDLINE_CLUSTER_NAME", "bench-single-" + UUID.randomUUID());
      single.add(startOnce(s, "--cluster", "--verticles", "api"));
      System.out.printf(Locale.ROOT, "  run %d: two nodes formed %.0f ms, one clustered node ready %.0f ms%n", i + 1,
          formed.get(i), single.get(i));
    }
    System.out.printf(Locale.ROOT, "2-node cluster formation, launch to both listing both (median of %d): %.0f ms; "
        + "one clustered node to ready %.0f ms; ratio %.2fx%n", runs, Stats.median(formed), Stats.median(single),
        Stats.median(formed) / Stats.median(single));
  }

  static void api(int runs) throws Exception {
    int clients = 50;
    long durationMs = 10_000;
    Vertx vertx = Vertx.vertx();
    Map<String, String> env = externalEnv(TestStores.pgUrl());
    int apiPort = Integer.parseInt(env.get("GRIDLINE_API_PORT"));
    int ops = FreePorts.find();
    Path log = NodeProcess.tempDir("gridline-bench-api").resolve("node.log");
    List<Double> postRate = new ArrayList<>();
    List<Double> postP50 = new ArrayList<>();
    List<Double> postP99 = new ArrayList<>();
    List<Double> getRate = new ArrayList<>();
    List<Double> getP50 = new ArrayList<>();
    List<Double> getP99 = new ArrayList<>();
    List<Double> liveRate = new ArrayList<>();
    List<Double> liveP99 = new ArrayList<>();
    try (NodeProcess node = NodeProcess.launch(env, ops, log, "--verticles", "api")) {
      node.awaitReady(Duration.ofSeconds(120));
      WebClient admin = WebClient.create(vertx);
      JsonObject tenant = admin.post(apiPort, "127.0.0.1", "/api/v1/tenants").bearerTokenAuthentication(ADMIN_KEY)
          .sendJsonObject(new JsonObject().put("name", "bench").put("maxDevices", 1_000_000)).await().bodyAsJsonObject();
      String key = admin.post(apiPort, "127.0.0.1", "/api/v1/tenants/" + tenant.getString("id") + "/api-keys")
          .bearerTokenAuthentication(ADMIN_KEY).sendJsonObject(new JsonObject().put("role", "write")).await()
          .bodyAsJsonObject().getString("key");
      HttpLoad load = new HttpLoad(vertx, clients);
      // warm-up: JIT and pools
      load.run(apiPort, key, clients, 3_000, 201, n -> post(-1 - n));
      load.run(apiPort, key, clients, 2_000, 200, n -> get(1 + ThreadLocalRandom.current().nextInt(1000)));
      int offset = 10_000_000;
      for (int i = 0; i < runs; i++) {
        int base = offset * (i + 1);
        HttpLoad.Result p = load.run(apiPort, key, clients, durationMs, 201, n -> post(base + n));
        HttpLoad.Result g = load.run(apiPort, key, clients, durationMs, 200,
            n -> get(1 + ThreadLocalRandom.current().nextInt((int) p.ok())));
        HttpLoad.Result l = load.run(ops, key, clients, durationMs, 200,
            n -> new HttpLoad.Request(HttpMethod.GET, "/health/live", null));
        postRate.add(p.perSecond());
        postP50.add(p.p50Ms());
        postP99.add(p.p99Ms());
        getRate.add(g.perSecond());
        getP50.add(g.p50Ms());
        getP99.add(g.p99Ms());
        liveRate.add(l.perSecond());
        liveP99.add(l.p99Ms());
        System.out.printf(Locale.ROOT, "  run %d: POST %.0f/s p50 %.1f p99 %.1f ms (%d errors) | GET %.0f/s p50 %.1f p99 %.1f ms"
                + " (%d errors) | /health/live %.0f/s p99 %.1f ms%n", i + 1, p.perSecond(), p.p50Ms(), p.p99Ms(),
            p.errors(), g.perSecond(), g.p50Ms(), g.p99Ms(), g.errors(), l.perSecond(), l.p99Ms());
      }
      load.close();
    }
    double live = Stats.median(liveRate);
    System.out.printf(Locale.ROOT, "POST /api/v1/devices, 50 clients (median of %d): %.0f req/s (%.2fx of /health/live),"
            + " p50 %.1f ms, p99 %.1f ms%n", runs, Stats.median(postRate), Stats.median(postRate) / live,
        Stats.median(postP50), Stats.median(postP99));
    System.out.printf(Locale.ROOT, "GET /api/v1/devices/{id}, 50 clients (median of %d): %.0f req/s (%.2fx of /health/live),"
            + " p50 %.1f ms, p99 %.1f ms%n", runs, Stats.median(getRate), Stats.median(getRate) / live,
        Stats.median(getP50), Stats.median(getP99));
    System.out.printf(Locale.ROOT, "GET /health/live (no database), 50 clients: %.0f req/s, p99 %.1f ms%n", live,
        Stats.median(liveP99));
    vertx.close().await();
  }

  private static HttpLoad.Request post(int n) {
    String mac = String.format(Locale.ROOT, "%012x", n & 0xFFFFFFFFFFL | (long) (n < 0 ? 0xF0 : 0x02) << 40);
    return new HttpLoad.Request(HttpMethod.POST, "/api/v1/devices", new JsonObject().put("kind", "mqtt")
        .put("externalId", mac).put("name", "bench-" + n).put("metadata", new JsonObject().put("model", "faces2"))
        .encode());
  }

  private static HttpLoad.Request get(int id) {
    return new HttpLoad.Request(HttpMethod.GET, "/api/v1/devices/" + id, null);
  }
}
