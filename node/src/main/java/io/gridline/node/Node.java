package io.gridline.node;

import io.gridline.api.ApiVerticle;
import io.gridline.codecs.Codecs;
import io.gridline.contracts.node.NodeInfo;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.Meters;
import io.gridline.runtime.PortInUseException;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.Store;
import io.gridline.runtime.config.DeclaredKeys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Gridline node: resolves its config, makes sure its stores exist and are migrated, starts Vert.x (clustered or
 * not), deploys the selected verticles, then opens its ops endpoints and announces itself to the cluster. The start
 * is one ordered chain of named steps ({@link #startSequence}); {@link #stop()} walks it back.
 *
 * <p>Embedding (tests): {@code Node node = Node.start(new NodeOptions().setArgs("--verticles", "api")
 * .setEnv(Map.of("GRIDLINE_PG_URL", url, ...))).await();} … {@code node.stop().await();}
 */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final NodeOptions options;
  private final long launchedNanos = System.nanoTime();
  /** Runs the steps that block (embedded stores, Flyway) before any event loop exists. */
  private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> new Thread(r, "gridline-node-start"));
  private final Map<String, String> deploymentIds = Collections.synchronizedMap(new LinkedHashMap<>());
  private JsonObject flat;
  private GridlineConfig config;
  private DeploymentPlan plan;
  private Path dataDir;
  private List<String> operatorMessages = List.of();
  private java.util.Optional<ClusterTls.Files> clusterTls = java.util.Optional.empty();
  private StoreProvisioning stores;
  private Vertx vertx;
  private HazelcastClusterManager clusterManager;
  private Readiness readiness;
  private StoreProbes probes;
  private NodeMeters meters;
  private ClusterDirectory directory;
  private OpsServer ops;
  private volatile boolean running;
  private Future<Void> stopped;

  private Node(NodeOptions options) {
    this.options = options;
  }

  /**
   * Starts a node. Fails with {@link InvalidConfigException} for a bad command line or config (nothing was started),
   * with {@link PortInUseException} when a listener's port is taken, or with the cause of another failed step; what was
   * already started is stopped again before the future fails.
   */
  public static Future<Node> start(NodeOptions options) {
    Node node = new Node(options);
    // a promise bound to no Vert.x context: it completes after a failed start closed Vert.x, too
    Promise<Node> started = Promise.promise();
    node.startSequence().onComplete(ar -> {
      node.starter.shutdown();
      if (ar.succeeded()) {
        started.complete(node);
      } else {
        node.teardown().onComplete(ignored -> started.fail(ar.cause()));
      }
    });
    return started.future();
  }

  private Future<Node> startSequence() {
    return offLoop(this::loadConfig)
        .compose(v -> offLoop(this::resolveSecrets))
        .compose(v -> offLoop(this::provisionStores))
        .compose(v -> offLoop(this::migrate))
        .compose(v -> createVertx())
        .compose(v -> registerCodecs())
        .compose(v -> registerReadiness())
        .compose(v -> ensureTopics())
        .compose(v -> deployVerticles())
        .compose(v -> startOps())
        .compose(v -> announceMember())
        .map(v -> reportStarted());
  }

  // ---- start steps, in order

  private void loadConfig() {
    CommandLine commandLine = CommandLine.parse(options.getArgs().toArray(String[]::new));
    NodeConfigLoader.Loaded loaded = NodeConfigLoader.load(commandLine, options.getEnv());
    loaded.warnings().forEach(w -> log.warn("config: {}", w));
    flat = loaded.flat();
    config = GridlineConfig.of(flat);
    plan = DeploymentPlan.of(config, options.getRegistry());
    dataDir = Path.of(config.string("devservices.data-dir"));
    log.info("starting node {}: verticles {}{}", config.nodeId(), String.join(",", plan.names()),
        clustered() ? ", joining cluster " + config.string("cluster.name") : "");
  }

  private void resolveSecrets() {
    operatorMessages = NodeSecrets.resolve(flat, dataDir, plan.deploys(ApiVerticle.SPEC.name()));
    if (clustered()) {
      clusterTls = ClusterTls.resolve(config, dataDir);
      if (clusterTls.isEmpty()) {
        log.warn("cluster: the clustered event bus runs WITHOUT TLS: any process that reaches {} can send to and receive "
            + "from it. Set cluster.tls.cert-path, key-path and trust-path (or cluster.tls.generate=true on one "
            + "machine), and keep the cluster ports on a private network", config.string("cluster.host"));
      }
    }
  }

  private void provisionStores() {
    stores = StoreProvisioning.provision(flat, plan.stores(), dataDir);
  }

  private void migrate() {
    if (!plan.stores().contains(Store.POSTGRES)) {
      return;
    }
    if (!config.has("sink.pg-url")) {
      // the time series lives beside the metadata unless sink.pg-url points elsewhere
      flat.put("sink.pg-url", config.string(Store.POSTGRES.urlKey()));
    }
    SchemaMigrations.apply(config);
  }

  private Future<Void> createVertx() {
    VertxOptions vertxOptions = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    if (clustered()) {
      vertxOptions.setEventBusOptions(ClusterSetup.eventBus(config, clusterTls));
      clusterManager = ClusterSetup.clusterManager(config);
    }
    VertxBuilder builder = Vertx.builder().with(vertxOptions).withMetrics(new MicrometerMetricsFactory());
    long t0 = System.nanoTime();
    Future<Vertx> built = clustered()
        ? builder.withClusterManager(clusterManager).buildClustered()
        : Future.succeededFuture(builder.build());
    return built.onSuccess(v -> {
      vertx = v;
      vertx.exceptionHandler(err -> log.error("uncaught error on node {}", config.nodeId(), err));
      directory = new ClusterDirectory(vertx, clusterManager);
      meters = new NodeMeters(Meters.registry());
      if (clustered()) {
        log.info("cluster: joined {} as member {} ({} members) in {} ms; event bus {}", config.string("cluster.name"),
            clusterManager.getNodeId(), clusterManager.getNodes().size(), millisSince(t0),
            clusterTls.map(f -> "TLS with client certificates (trust " + f.trust() + ")").orElse("without TLS"));
      }
    }).mapEmpty();
  }

  private Future<Void> registerCodecs() {
    Codecs.registerAll(vertx);
    return Future.succeededFuture();
  }

  private Future<Void> registerReadiness() {
    readiness = Readiness.of(vertx);
    readiness.register("node", () -> running ? Future.succeededFuture()
        : Future.failedFuture(stopped != null ? "stopping" : "starting"));
    for (String name : plan.names()) {
      readiness.register("verticle." + name, () -> deploymentIds.containsKey(name) ? Future.succeededFuture()
          : Future.failedFuture("not deployed"));
    }
    return StoreProbes.register(vertx, config, plan.stores(), readiness).onSuccess(p -> probes = p).mapEmpty();
  }

  /** When a deployed verticle uses Kafka: its topics, retried while Kafka is down (the node starts unready). */
  private Future<Void> ensureTopics() {
    if (!plan.stores().contains(Store.KAFKA)) {
      return Future.succeededFuture();
    }
    return TopicCreation.start(vertx, config, readiness, () -> stopped != null);
  }

  private Future<Void> deployVerticles() {
    Future<Void> chain = Future.succeededFuture();
    for (DeploymentPlan.Deployment d : plan.deployments()) {
      chain = chain.compose(v -> deploy(d));
    }
    return chain;
  }

  private Future<Void> deploy(DeploymentPlan.Deployment d) {
    long t0 = System.nanoTime();
    DeploymentOptions deployment = new DeploymentOptions().setInstances(d.instances()).setConfig(flat.copy());
    return vertx.deployVerticle(d.verticle().spec().factory(), deployment)
        .recover(err -> Future.failedFuture(DeployFailures.explain(d, config, err)))
        .onSuccess(id -> {
          deploymentIds.put(d.name(), id);
          meters.deployed(d.name(), d.instances());
          log.info("deployed {} ({} instance{}) in {} ms", d.name(), d.instances(), d.instances() == 1 ? "" : "s",
              millisSince(t0));
        })
        .mapEmpty();
  }

  private Future<Void> startOps() {
    return OpsServer.start(vertx, config, readiness, directory).onSuccess(s -> ops = s).mapEmpty();
  }

  private Future<Void> announceMember() {
    return directory.announce(new NodeInfo(config.nodeId(), opsAddress(), directory.clusterNodeId(), plan.names()));
  }

  private Node reportStarted() {
    long millis = millisSince(launchedNanos);
    meters.started(millis);
    running = true;
    operatorMessages.forEach(options.getConsole()::println);
    log.info("node {} started in {} ms: verticles {}; {}; {}", config.nodeId(), millis, deployedSummary(), portSummary(),
        clustered() ? "cluster " + config.string("cluster.name") + " (" + clusterManager.getNodes().size() + " members)"
            : "not clustered");
    return this;
  }

  // ---- stop

  /**
   * Stops gracefully: reports not ready, leaves the {@code gridline.nodes} map, undeploys the verticles (they stop
   * accepting and drain), closes the ops server and Vert.x (leaving the cluster), then stops embedded stores.
   * Idempotent.
   */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      long t0 = System.nanoTime();
      log.info("stopping node {}", config.nodeId());
      stopped = teardown().onComplete(ar -> log.info("node {} stopped in {} ms", config.nodeId(), millisSince(t0)));
    }
    return stopped;
  }

  /**
   * The steps on Vert.x run while it is up; closing it and the embedded stores then happens on a thread of ours, and
   * the returned future belongs to no Vert.x context (one bound to a closed event loop would never complete).
   */
  private Future<Void> teardown() {
    running = false;
    Promise<Void> done = Promise.promise();
    quietly("leaving the node map", this::withdrawMember)
        .compose(v -> quietly("undeploying verticles", this::undeployVerticles))
        .compose(v -> quietly("closing the ops server", this::closeOps))
        .compose(v -> quietly("closing store probes", this::closeProbes))
        .onComplete(ar -> offVertx("gridline-node-close", () -> {
          closeVertx();
          stopStores();
        }).onComplete(done));
    return done.future();
  }

  private Future<Void> withdrawMember() {
    return directory == null ? Future.succeededFuture() : directory.withdraw();
  }

  private Future<Void> undeployVerticles() {
    List<String> names = new ArrayList<>(deploymentIds.keySet());
    Collections.reverse(names);
    Future<Void> chain = Future.succeededFuture();
    for (String name : names) {
      chain = chain.compose(v -> {
        long t0 = System.nanoTime();
        return vertx.undeploy(deploymentIds.get(name)).onComplete(ar -> {
          deploymentIds.remove(name);
          meters.undeployed(name);
          if (ar.succeeded()) {
            log.info("undeployed {} in {} ms", name, millisSince(t0));
          } else {
            log.warn("undeploying {} failed: {}", name, ar.cause().toString());
          }
        }).recover(err -> Future.succeededFuture());
      });
    }
    return chain;
  }

  private Future<Void> closeOps() {
    return ops == null ? Future.succeededFuture() : ops.close();
  }

  private Future<Void> closeProbes() {
    return probes == null ? Future.succeededFuture() : probes.close();
  }

  /** Blocking, off Vert.x: closes it (leaving the cluster). */
  private void closeVertx() {
    if (vertx == null) {
      return;
    }
    if (meters != null) {
      meters.remove();
    }
    try {
      vertx.close().await();
      if (clustered()) {
        log.info("cluster: left {}", config.string("cluster.name"));
      }
    } catch (RuntimeException e) {
      log.warn("stop: closing Vert.x failed: {}", e.toString());
    }
  }

  /** Blocking, after Vert.x is gone: stops the embedded stores this node started. */
  private void stopStores() {
    if (stores == null) {
      return;
    }
    try {
      stores.close();
    } catch (RuntimeException e) {
      log.warn("stop: stopping embedded stores failed: {}", e.toString());
    }
  }

  private static Future<Void> offVertx(String threadName, Runnable blocking) {
    Promise<Void> done = Promise.promise();
    Thread t = new Thread(() -> {
      try {
        blocking.run();
      } catch (Throwable e) {
        done.fail(e);
        return;
      }
      done.complete();
    }, threadName);
    t.start();
    return done.future();
  }

  /** Last resort when a graceful stop overran {@code shutdown.timeout-ms}: stop the embedded store processes. */
  void abandonStores() {
    if (stores != null) {
      stores.close();
    }
  }

  // ---- what a running node exposes

  public String nodeId() {
    return config.nodeId();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The resolved config handed to the verticles (store URLs and secrets filled in). */
  public GridlineConfig config() {
    return GridlineConfig.of(flat.copy());
  }

  /** The ops server's bound port (the real one when {@code ops.port} is 0). */
  public int opsPort() {
    return ops.port();
  }

  /** Names of the deployed verticles. */
  public List<String> verticles() {
    return plan.names();
  }

  /**
   * Undeploys one verticle of this running node (it stops gracefully; its readiness check reports "not deployed")
   * until {@link #redeploy}. Fails when the verticle is not deployed here.
   */
  public Future<Void> undeploy(String verticle) {
    String id = deploymentIds.remove(verticle);
    if (id == null) {
      return Future.failedFuture("verticle " + verticle + " is not deployed on node " + config.nodeId());
    }
    long t0 = System.nanoTime();
    return vertx.undeploy(id).onComplete(ar -> {
      meters.undeployed(verticle);
      log.info("undeployed {} in {} ms{}", verticle, millisSince(t0),
          ar.succeeded() ? "" : " (with an error: " + ar.cause() + ")");
    });
  }

  /** Deploys again, with the node's config and instance count, a verticle of its plan that is not deployed. */
  public Future<Void> redeploy(String verticle) {
    if (deploymentIds.containsKey(verticle)) {
      return Future.failedFuture("verticle " + verticle + " is already deployed on node " + config.nodeId());
    }
    return plan.deployments().stream().filter(d -> d.name().equals(verticle)).findFirst()
        .map(this::deploy)
        .orElseGet(() -> Future.failedFuture("verticle " + verticle + " is not in node " + config.nodeId() + "'s plan"));
  }

  /** The cluster manager's id of this member; empty when not clustered. */
  public String clusterNodeId() {
    return directory == null ? "" : directory.clusterNodeId();
  }

  long shutdownTimeoutMillis() {
    // a node whose config did not load stops within the declared default
    GridlineConfig c = config != null ? config : GridlineConfig.of(DeclaredKeys.bundled().defaults());
    return c.nonNegativeLong("shutdown.timeout-ms");
  }

  // ---- small pieces

  private boolean clustered() {
    return config.bool("cluster.enabled");
  }

  private String opsAddress() {
    String host = config.string("ops.host");
    boolean wildcard = host.equals("0.0.0.0") || host.equals("::");
    return (wildcard ? ClusterSetup.publicHost(config) : host) + ":" + ops.port();
  }

  private String deployedSummary() {
    return plan.deployments().stream()
        .map(d -> d.instances() == 1 ? d.name() : d.name() + " x" + d.instances())
        .collect(Collectors.joining(","));
  }

  private String portSummary() {
    List<String> ports = new ArrayList<>();
    plan.deployments().forEach(d -> d.verticle().portKeys().forEach(k -> ports.add(k + " "
        + (config.integer(k) == -1 ? "off" : Integer.toString(config.integer(k))))));
    ports.add("ops.port " + ops.port());
    return String.join(", ", ports);
  }

  private Future<Void> offLoop(Runnable step) {
    Promise<Void> done = Promise.promise();
    starter.execute(() -> {
      try {
        step.run();
        done.complete();
      } catch (Throwable t) {
        done.fail(t);
      }
    });
    return done.future();
  }

  private static Future<Void> quietly(String what, java.util.function.Supplier<Future<Void>> step) {
    Future<Void> f;
    log.debug("stop: {}", what);
    try {
      f = step.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.recover(err -> {
      log.warn("stop: {} failed: {}", what, err.toString());
      return Future.succeededFuture();
    });
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return msg == null ? root.getClass().getSimpleName() : msg;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
