package io.gridline.node;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.PgUrl;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.Store;
import io.gridline.runtime.StoreClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Readiness checks {@code store.<id>} for the stores the deployed verticles use, each through its own small client:
 * PostgreSQL {@code SELECT 1}, Redis {@code PING}, Kafka {@code describeCluster}. All non-blocking.
 */
final class StoreProbes {
  private static final int PROBE_TIMEOUT_MS = 1_500;
  private final List<Supplier<Future<?>>> closers = new ArrayList<>();

  private StoreProbes() {}

  static Future<StoreProbes> register(Vertx vertx, GridlineConfig config, Set<Store> stores, Readiness readiness) {
    StoreProbes probes = new StoreProbes();
    List<Future<?>> created = new ArrayList<>();
    for (Store store : stores) {
      String check = "store." + store.id();
      switch (store) {
        case POSTGRES -> {
          Pool pool = postgres(vertx, config);
          probes.closers.add(pool::close);
          readiness.register(check, () -> pool.query("SELECT 1").execute());
        }
        case REDIS -> {
          Redis redis = Redis.createClient(vertx, StoreClients.redisOptions(config).setMaxPoolSize(1).setMaxPoolWaiting(8));
          probes.closers.add(redis::close);
          readiness.register(check, () -> redis.send(Request.cmd(Command.PING)));
        }
        case KAFKA -> created.add(kafka(vertx, config).onSuccess(admin -> {
          probes.closers.add(admin::close);
          readiness.register(check, admin::describeCluster);
        }));
      }
    }
    return Future.all(created).map(probes);
  }

  Future<Void> close() {
    List<Future<?>> closing = new ArrayList<>();
    closers.forEach(c -> closing.add(c.get()));
    return Future.join(closing).mapEmpty();
  }

  private static Pool postgres(Vertx vertx, GridlineConfig config) {
    PgConnectOptions connect = PgUrl.parse(config.string(Store.POSTGRES.urlKey())).connectOptions();
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(1).setName("gridline-readiness"))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  /** The admin client's constructor and its config (key files) do blocking work: make both on a worker. */
  private static Future<KafkaAdminClient> kafka(Vertx vertx, GridlineConfig config) {
    return vertx.executeBlocking(() -> {
      Map<String, String> props = KafkaClients.adminConfig(config, "gridline-readiness-" + config.nodeId());
      props.put("request.timeout.ms", Integer.toString(PROBE_TIMEOUT_MS));
      props.put("default.api.timeout.ms", Integer.toString(PROBE_TIMEOUT_MS));
      props.put("reconnect.backoff.max.ms", "1000");
      return KafkaAdminClient.create(vertx, props);
    });
  }
}
