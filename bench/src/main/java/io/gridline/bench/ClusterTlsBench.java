package io.gridline.bench;

import com.sun.management.OperatingSystemMXBean;
import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.DeviceCommand;
import io.gridline.contracts.mqtt.MqttOwnership;
import io.gridline.contracts.node.NodeAddresses;
import io.gridline.devservices.FreePorts;
import io.gridline.node.Node;
import io.gridline.node.NodeOptions;
import io.gridline.node.RegisteredVerticle;
import io.gridline.node.Verticles;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.VerticleSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cost of TLS with client certificates on the clustered event bus ({@code cluster.tls.*}) for the cross-node
 * command round trip: node A sends a {@link DeviceCommand} to node B's {@code gridline.node.<B>.mqtt-bridge} address
 * (the api → owning bridge hop of {@code POST /api/v1/devices/{id}/commands}) and B answers a {@link CommandResult},
 * with the contract codecs on the wire. Two clustered nodes in this JVM, the same run with the bus plain and with TLS,
 * alternating, medians reported; CPU-µs per round trip is this process's CPU time (both nodes) over the round trips.
 *
 * <pre>mvn -q -pl bench exec:java -Dexec.mainClass=io.gridline.bench.ClusterTlsBench -Dexec.args="ROUND_TRIPS CONCURRENCY RUNS"</pre>
 */
public final class ClusterTlsBench {
  /** A verticle that needs no store. */
  public static final class Idle extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }

  private record Result(String setup, double p50, double p99, double perSecond, double cpuMicros) {}

  public static void main(String[] args) throws Exception {
    int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path certs = Files.createTempDirectory("gridline-bench-cluster-");
    DeviceCertificateAuthority ca = DeviceCertificateAuthority.loadOrGenerate(certs, "cluster-ca", "bench cluster CA");
    Map<String, List<Result>> results = new HashMap<>();
    for (int run = 0; run < runs; run++) {
      for (boolean tls : new boolean[] {false, true}) {
        Result r = measure(tls ? ca : null, certs, roundTrips, concurrency, run);
        results.computeIfAbsent(r.setup(), k -> new ArrayList<>()).add(r);
        System.out.printf("run %d %-9s p50 %.3f ms  p99 %.3f ms  %.0f round trips/s  %.1f CPU-µs per round trip%n",
            run + 1, r.setup(), r.p50(), r.p99(), r.perSecond(), r.cpuMicros());
      }
    }
    System.out.printf("%nmedians of %d runs, %d round trips each, %d in flight:%n", runs, roundTrips, concurrency);
    Result plain = median(results.get("plain"));
    Result tls = median(results.get("tls"));
    for (Result r : List.of(plain, tls)) {
      System.out.printf("%-9s p50 %.3f ms  p99 %.3f ms  %.0f round trips/s  %.1f CPU-µs per round trip%n", r.setup(),
          r.p50(), r.p99(), r.perSecond(), r.cpuMicros());
    }
    System.out.printf("tls/plain: p50 %.2fx, p99 %.2fx, throughput %.2fx, CPU per round trip %.2fx%n",
        tls.p50() / plain.p50(), tls.p99() / plain.p99(), tls.perSecond() / plain.perSecond(),
        tls.cpuMicros() / plain.cpuMicros());
    System.exit(0);
  }

  private static Result median(List<Result> rs) {
    return new Result(rs.get(0).setup(), Stats.median(rs.stream().map(Result::p50).toList()),
        Stats.median(rs.stream().map(Result::p99).toList()), Stats.median(rs.stream().map(Result::perSecond).toList()),
        Stats.median(rs.stream().map(Result::cpuMicros).toList()));
  }

  private static Result measure(DeviceCertificateAuthority ca, Path certs, int roundTrips, int concurrency, int run)
      throws Exception {
    String cluster = "bench-" + UUID.randomUUID();
    int seed = FreePorts.find();
    Node a = start(cluster, "bench-a-" + run, seed, seed, ca, certs);
    Node b = start(cluster, "bench-b-" + run, seed, FreePorts.find(), ca, certs);
    try {
      String address = NodeAddresses.nodeAddress(b.nodeId(), MqttOwnership.VERTICLE);
      b.vertx().eventBus().<DeviceCommand>consumer(address, m -> m.reply(new CommandResult(m.body().commandId(),
          CommandResult.Outcome.DELIVERED, ""))).completion().await();
      waitForRoute(a.vertx().eventBus(), address);
      EventBus bus = a.vertx().eventBus();
      loop(bus, address, Math.max(2_000, roundTrips / 4), concurrency); // warm-up: JIT, connections, TLS sessions
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      long[] latencies = loop(bus, address, roundTrips, concurrency);
      long elapsed = System.nanoTime() - t0;
      long cpu = os.getProcessCpuTime() - cpu0;
      long[] sorted = Stats.sorted(latencies, latencies.length);
      return new Result(ca == null ? "plain" : "tls", Stats.percentile(sorted, sorted.length, 50),
          Stats.percentile(sorted, sorted.length, 99), roundTrips / (elapsed / 1e9), cpu / 1e3 / roundTrips);
    } finally {
      b.stop().await(60, TimeUnit.SECONDS);
      a.stop().await(60, TimeUnit.SECONDS);
    }
  }

  /** Closed loop: {@code concurrency} requests in flight; the latency of each round trip. */
  private static long[] loop(EventBus bus, String address, int n, int concurrency) throws Exception {
    long[] latencies = new long[n];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    String payload = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000);
    Runnable[] sendOne = new Runnable[1];
    sendOne[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) {
        return;
      }
      long started = System.nanoTime();
      DeviceCommand command = new DeviceCommand(UUID.randomUUID().toString(), "00000000-0000-0000-0000-000000000001",
          1 + i % 1000, "f2-aabbccddee01", "cmnd/f2-aabbccddee01/power", payload, 1);
      bus.<CommandResult>request(address, command, options).onComplete(ar -> {
        latencies[i] = System.nanoTime() - started;
        if (ar.failed()) {
          all.tryFail(ar.cause());
        } else if (done.incrementAndGet() == n) {
          all.tryComplete();
        } else {
          sendOne[0].run();
        }
      });
    };
    for (int c = 0; c < concurrency; c++) {
      sendOne[0].run();
    }
    all.future().await(300, TimeUnit.SECONDS);
    return latencies;
  }

  /** The receiver's subscription reaches the sender through Hazelcast a moment after it registered. */
  private static void waitForRoute(EventBus bus, String address) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        bus.request(address, new DeviceCommand("warm", "00000000-0000-0000-0000-000000000001", 1, "f2-aabbccddee01",
            "cmnd/f2-aabbccddee01/x", "", 0), new DeliveryOptions().setSendTimeout(2_000)).await(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static Node start(String cluster, String nodeId, int seedPort, int port, DeviceCertificateAuthority ca,
      Path certs) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("GRIDLINE_NODE_ID", nodeId);
    env.put("GRIDLINE_CLUSTER_NAME", cluster);
    env.put("GRIDLINE_CLUSTER_HOST", "127.0.0.1");
    env.put("GRIDLINE_CLUSTER_PORT", Integer.toString(port));
    env.put("GRIDLINE_CLUSTER_MEMBERS", "127.0.0.1:" + seedPort + (port == seedPort ? "" : ",127.0.0.1:" + port));
    env.put("GRIDLINE_OPS_PORT", "0");
    env.put("GRIDLINE_OPS_HOST", "127.0.0.1");
    env.put("GRIDLINE_SECRETS_ENCRYPTION_KEY", SecretBox.generateKey());
    env.put("GRIDLINE_DEVSERVICES_DATA_DIR", Files.createTempDirectory("gridline-bench-node-").toString());
    if (ca != null) {
      DeviceCertificateAuthority.Issued issued = ca.issueNode(nodeId);
      env.put("GRIDLINE_CLUSTER_TLS_CERT_PATH", Files.writeString(certs.resolve(nodeId + ".crt.pem"),
          issued.certificatePem()).toString());
      env.put("GRIDLINE_CLUSTER_TLS_KEY_PATH", Files.writeString(certs.resolve(nodeId + ".key.pem"),
          issued.privateKeyPem()).toString());
      env.put("GRIDLINE_CLUSTER_TLS_TRUST_PATH", certs.resolve("cluster-ca.crt.pem").toString());
    }
    List<RegisteredVerticle> registry = new ArrayList<>(Verticles.ALL);
    registry.add(RegisteredVerticle.of(new VerticleSpec("idle", Set.of(), Idle::new)));
    return Node.start(new NodeOptions().setEnv(env).setRegistry(registry).setArgs("--cluster", "--verticles", "idle"))
        .await(120, TimeUnit.SECONDS);
  }
}
