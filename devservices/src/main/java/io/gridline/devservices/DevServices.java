package io.gridline.devservices;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores a single node (or a dev cluster's first node) starts for itself when their URLs are not set:
 * Kafka ({@code "kafka"}), PostgreSQL ({@code "postgres"}) and Redis ({@code "redis"}), each in its own
 * subdirectory of the data directory ({@code kafka/}, {@code postgres/}, {@code redis/}).
 *
 * <p>The needed stores start in parallel; if one fails, the others are stopped again and the failure is
 * thrown. Every store listens on 127.0.0.1 only.
 */
public final class DevServices implements AutoCloseable {

  public static final String KAFKA = "kafka";
  public static final String POSTGRES = "postgres";
  public static final String REDIS = "redis";
  /** Start order; {@link #close()} stops in the reverse order. */
  public static final List<String> STORES = List.of(KAFKA, POSTGRES, REDIS);

  private static final Logger log = LoggerFactory.getLogger(DevServices.class);

  private final Map<String, AutoCloseable> running;
  private final Map<String, String> urls;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DevServices(Map<String, AutoCloseable> running, Map<String, String> urls) {
    this.running = running;
    this.urls = Collections.unmodifiableMap(urls);
  }

  /**
   * Starts each needed store under dataDir.
   *
   * @param needed a subset of {"kafka", "postgres", "redis"}
   * @param dataDir the parent of the stores' data directories (created if missing)
   * @param fixedPorts false: free ports; true: the given ports (e.g. 9092, 5433, 6380)
   * @throws IllegalArgumentException for an unknown store name
   * @throws IllegalStateException if a store does not start (a taken fixed port, for instance)
   */
  public static DevServices start(Set<String> needed, Path dataDir, boolean fixedPorts, int kafkaPort, int pgPort, int redisPort) {
    for (String s : needed) {
      if (!STORES.contains(s)) {
        throw new IllegalArgumentException("unknown store '" + s + "', expected one of " + STORES);
      }
    }
    Map<String, Supplier<AutoCloseable>> starters = new LinkedHashMap<>();
    if (needed.contains(KAFKA)) {
      starters.put(KAFKA, () -> EmbeddedKafka.start(dataDir.resolve(KAFKA), fixedPorts ? kafkaPort : 0));
    }
    if (needed.contains(POSTGRES)) {
      starters.put(POSTGRES, () -> EmbeddedPg.start(dataDir.resolve(POSTGRES), fixedPorts ? pgPort : 0));
    }
    if (needed.contains(REDIS)) {
      starters.put(REDIS, () -> EmbeddedRedis.start(dataDir.resolve(REDIS), fixedPorts ? redisPort : 0));
    }

    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, starters.size()), r -> {
      Thread t = new Thread(r, "devservices-start");
      t.setDaemon(true);
      return t;
    });
    Map<String, CompletableFuture<AutoCloseable>> futures = new LinkedHashMap<>();
    Map<String, Long> millis = new java.util.concurrent.ConcurrentHashMap<>();
    try {
      starters.forEach((name, starter) -> futures.put(name, CompletableFuture.supplyAsync(() -> {
        long t0 = System.nanoTime();
        AutoCloseable store = starter.get();
        millis.put(name, (System.nanoTime() - t0) / 1_000_000);
        return store;
      }, pool)));
      Map<String, AutoCloseable> running = new LinkedHashMap<>();
      RuntimeException failure = null;
      for (Map.Entry<String, CompletableFuture<AutoCloseable>> e : futures.entrySet()) {
        try {
          running.put(e.getKey(), e.getValue().join());
        } catch (CompletionException ce) {
          RuntimeException cause = ce.getCause() instanceof RuntimeException re ? re : new IllegalStateException(ce.getCause());
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        stopAll(running);
        throw failure;
      }
      Map<String, String> urls = new LinkedHashMap<>();
      for (Map.Entry<String, AutoCloseable> e : running.entrySet()) {
        String name = e.getKey();
        Path dir = dataDir.resolve(name);
        String url;
        if (e.getValue() instanceof EmbeddedKafka k) {
          url = k.bootstrapServers();
          log.info("devservices: Kafka {} (KRaft) listening on {} (data in {}, started in {} ms)", EmbeddedKafka.VERSION, url, dir, millis.get(name));
        } else if (e.getValue() instanceof EmbeddedPg pg) {
          url = pg.url();
          log.info("devservices: PostgreSQL {} listening on {} (data in {}, started in {} ms)", EmbeddedPg.VERSION, url, dir, millis.get(name));
        } else {
          url = ((EmbeddedRedis) e.getValue()).url();
          log.info("devservices: Redis {} listening on {} (data in {}, started in {} ms)", EmbeddedRedis.VERSION, url, dir, millis.get(name));
        }
        urls.put(name, url);
      }
      return new DevServices(running, urls);
    } finally {
      pool.shutdown();
    }
  }

  /** Store name → URL: kafka → {@code 127.0.0.1:<port>}, postgres → {@code postgresql://postgres@127.0.0.1:<port>/gridline}, redis → {@code redis://127.0.0.1:<port>}. Only the started stores. */
  public Map<String, String> urls() {
    return urls;
  }

  /** The running embedded Kafka, or null if it was not needed. */
  public EmbeddedKafka kafka() {
    return (EmbeddedKafka) running.get(KAFKA);
  }

  /** The running embedded PostgreSQL, or null if it was not needed. */
  public EmbeddedPg postgres() {
    return (EmbeddedPg) running.get(POSTGRES);
  }

  /** The running embedded Redis, or null if it was not needed. */
  public EmbeddedRedis redis() {
    return (EmbeddedRedis) running.get(REDIS);
  }

  /** Stops every started store, Redis, then PostgreSQL, then Kafka. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stopAll(running);
    }
  }

  private static void stopAll(Map<String, AutoCloseable> running) {
    List<String> names = new ArrayList<>(STORES);
    Collections.reverse(names);
    for (String name : names) {
      AutoCloseable store = running.get(name);
      if (store == null) {
        continue;
      }
      try {
        store.close();
        log.info("devservices: {} stopped", name);
      } catch (Exception e) {
        log.warn("devservices: stopping {} failed: {}", name, e.toString());
      }
    }
  }
}
