package io.gridline.testkit;

import io.gridline.devservices.EmbeddedKafka;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaTopics;
import io.gridline.runtime.PgUrl;
import io.gridline.runtime.Store;
import io.gridline.runtime.VerticleSpec;
import io.gridline.sql.Migrations;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What every verticle test starts from, set up as the node would for the verticle's {@link VerticleSpec}: the test
 * stores it needs, a fresh database migrated with the node's migrations, the Kafka topics made by the node's own
 * {@link KafkaTopics}, and the flat config the node would hand it — every declared default ({@link TestConfig}), the
 * stores' URLs, then the module's overrides. A module's fixture extends it and adds only what is its own (devices, a
 * producer, an HTTP client). Every call blocks the test thread until the answer is in; never call one on an event loop.
 *
 * <pre>{@code
 * VerticleFixture<TimescaleSinkVerticle> f = new VerticleFixture<>(VerticleFixture.setup(TimescaleSinkVerticle.SPEC)
 *     .ownKafka().timeseries().with("sink.linger-ms", 20));
 * TimescaleSinkVerticle sink = f.deploy(f.config().put("sink.batch-size", 10));
 * ...
 * f.close();
 * }</pre>
 */
public class VerticleFixture<V extends Deployable> implements AutoCloseable {
  public final Vertx vertx;
  /** The fresh, migrated database ({@code pg.url}); null when the verticle needs no PostgreSQL. */
  public final String pgUrl;
  /** {@code sink.pg-url} when the time-series schema was asked for ({@link Setup#timeseries}); else null. */
  public final String timeseriesUrl;
  /** {@code redis.url}; null when the verticle needs no Redis. */
  public final String redisUrl;
  /** {@code kafka.bootstrap-servers}; null when the verticle needs no Kafka. */
  public final String kafkaBootstrap;
  /** The fixture's private broker ({@link Setup#ownKafka}), which the test may stop and restart; else null. */
  public final EmbeddedKafka ownKafka;
  protected final VerticleSpec spec;
  private final boolean ownVertx;
  private final JsonObject base;
  private final Set<String> topicsOn = ConcurrentHashMap.newKeySet();
  private final List<String> deployments = Collections.synchronizedList(new ArrayList<>());

  /** How a fixture is set up; the fixture's constructor does the work. */
  public static final class Setup {
    private final VerticleSpec spec;
    private Vertx vertx;
    private String pgUrl;
    private boolean timeseries;
    private String timeseriesUrl;
    private boolean ownKafka;
    private final JsonObject overrides = new JsonObject();

    private Setup(VerticleSpec spec) {
      this.spec = spec;
    }

    /** The test's own Vert.x (e.g. JUnit's {@code VertxExtension}), left open by {@link #close()}. */
    public Setup vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    /** This database (migrated here too) instead of a fresh one, e.g. a private PostgreSQL the test stops. */
    public Setup database(String pgUrl) {
      this.pgUrl = pgUrl;
      return this;
    }

    /** The time-series schema too, in the same database, as on a default node ({@code sink.pg-url} = pg.url). */
    public Setup timeseries() {
      this.timeseries = true;
      return this;
    }

    /** The time-series schema in that database ({@code sink.pg-url}). */
    public Setup timeseries(String url) {
      this.timeseries = true;
      this.timeseriesUrl = url;
      return this;
    }

    /** A private Kafka broker for this fixture (offsets and outages that belong to one test), closed with it. */
    public Setup ownKafka() {
      this.ownKafka = true;
      return this;
    }

    /** A config value of this module's tests, over the declared default (e.g. port 0, short timeouts). */
    public Setup with(String key, Object value) {
      overrides.put(key, value);
      return this;
    }
  }

  public static Setup setup(VerticleSpec spec) {
    return new Setup(spec);
  }

  public VerticleFixture(Setup setup) {
    this.spec = setup.spec;
    this.ownVertx = setup.vertx == null;
    this.vertx = ownVertx ? Vertx.vertx() : setup.vertx;
    Set<Store> stores = spec.stores();
    base = TestConfig.defaults();
    if (stores.contains(Store.POSTGRES)) {
      pgUrl = setup.pgUrl != null ? setup.pgUrl : TestStores.pgUrl();
      migrate(pgUrl, Migrations::migrate);
      base.put(Store.POSTGRES.urlKey(), pgUrl);
    } else {
      pgUrl = null;
    }
    if (setup.timeseries) {
      timeseriesUrl = setup.timeseriesUrl != null ? setup.timeseriesUrl : pgUrl;
      migrate(timeseriesUrl, Migrations::migrateTimeseries);
      base.put("sink.pg-url", timeseriesUrl);
    } else {
      timeseriesUrl = null;
    }
    redisUrl = stores.contains(Store.REDIS) ? TestStores.redisUrl() : null;
    if (redisUrl != null) {
      base.put(Store.REDIS.urlKey(), redisUrl);
    }
    ownKafka = stores.contains(Store.KAFKA) && setup.ownKafka ? TestStores.ownKafka() : null;
    kafkaBootstrap = ownKafka != null ? ownKafka.bootstrapServers()
        : stores.contains(Store.KAFKA) ? TestStores.kafkaBootstrap() : null;
    if (kafkaBootstrap != null) {
      base.put(Store.KAFKA.urlKey(), kafkaBootstrap);
    }
    base.mergeIn(setup.overrides);
    if (kafkaBootstrap != null) {
      // before the test produces anything: a topic auto-created by a first send gets the broker's partition count
      ensureTopics(base);
    }
  }

  /** One Flyway migration set ({@link Migrations#migrate}, {@link Migrations#migrateTimeseries}). */
  private interface Migration {
    int apply(String jdbcUrl, String user, String password);
  }

  private static void migrate(String url, Migration migration) {
    PgUrl pg = PgUrl.parse(url);
    migration.apply(pg.jdbcUrl(), pg.user(), pg.password());
  }

  /** The flat config the node would hand the verticle here; a fresh copy for the test to change. */
  public JsonObject config() {
    return base.copy();
  }

  /**
   * One instance made by the spec, deployed with {@code config}; it is returned to be looked at (ports, state).
   *
   * @throws ClassCastException when the spec makes something other than {@code V}
   */
  @SuppressWarnings("unchecked")
  public V deploy(JsonObject config) {
    Deployable verticle = spec.factory().get();
    ensureTopics(config);
    deployments.add(Waits.await(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config))));
    return (V) verticle;
  }

  /** {@code --instances <name>=n}: n instances made by the spec; the deployment id. */
  public String deployInstances(JsonObject config, int n) {
    return deployInstances(config, n, spec.factory());
  }

  /** n instances made by {@code factory} (e.g. a verticle with a slow resolver); the deployment id. */
  public String deployInstances(JsonObject config, int n, Supplier<? extends Deployable> factory) {
    ensureTopics(config);
    String id = Waits.await(vertx.deployVerticle(factory, new DeploymentOptions().setConfig(config).setInstances(n)));
    deployments.add(id);
    return id;
  }

  /** The id of the latest deployment still deployed; null when none is. */
  public String lastDeployment() {
    synchronized (deployments) {
      return deployments.isEmpty() ? null : deployments.get(deployments.size() - 1);
    }
  }

  public void undeploy(String deploymentId) {
    deployments.remove(deploymentId);
    Waits.await(vertx.undeploy(deploymentId));
  }

  /** Undeploys every deployment of this fixture, the latest first; one already gone is skipped. */
  public void undeployAll() {
    List<String> ids;
    synchronized (deployments) {
      ids = new ArrayList<>(deployments);
      deployments.clear();
    }
    Collections.reverse(ids);
    for (String id : ids) {
      try {
        Waits.await(vertx.undeploy(id));
      } catch (RuntimeException | AssertionError alreadyGone) {
        // undeployed by the test, or its Vert.x closed
      }
    }
  }

  /**
   * The topics on the config's brokers, as the node makes them at start (once per broker): {@code kafka.partitions}
   * (a module may set fewer to read every partition quickly), {@code kafka.replication-factor}.
   */
  private void ensureTopics(JsonObject config) {
    String bootstrap = config.getString(Store.KAFKA.urlKey(), "");
    if (!spec.stores().contains(Store.KAFKA) || bootstrap.isBlank() || topicsOn.contains(bootstrap)) {
      return;
    }
    KafkaTopics.ensure(GridlineConfig.of(config));
    topicsOn.add(bootstrap);
  }

  /** Undeploys, closes Vert.x when it is the fixture's own, then stops the private broker. */
  @Override
  public void close() {
    undeployAll();
    if (ownVertx) {
      Waits.await(vertx.close());
    }
    if (ownKafka != null) {
      ownKafka.close();
    }
  }
}
