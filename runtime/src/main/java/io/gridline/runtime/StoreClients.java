package io.gridline.runtime;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Clients for the stores, built from the node's config. A PostgreSQL pool is shared by the instances of one deployment
 * (its name carries the deployment id), never across deployments: a shared pool's connections belong to the context
 * that created it, so undeploying one verticle must not close the pool another verticle still uses.
 */
public final class StoreClients {
  private StoreClients() {}

  /** A PostgreSQL pool for {@code pg.url} (or another key holding a libpq URI, e.g. {@code sink.pg-url}). */
  public static Pool pg(Vertx vertx, GridlineConfig config, String urlKey, String poolName) {
    PgUrl url = PgUrl.parse(config.string(urlKey));
    PoolOptions options = new PoolOptions()
        .setMaxSize(config.has("pg.pool-size") ? config.integer("pg.pool-size") : 8)
        // waiters beyond it fail at once (ConnectionPoolTooBusyException) instead of queueing without bound
        .setMaxWaitQueueSize(config.has("pg.max-wait-queue") ? config.integer("pg.max-wait-queue") : 1024)
        .setShared(true)
        .setName(poolName + "@" + url.display() + "#" + deploymentOf(vertx));
    return PgBuilder.pool().with(options).connectingTo(url.connectOptions()).using(vertx).build();
  }

  private static String deploymentOf(Vertx vertx) {
    String id = vertx.getOrCreateContext().deploymentID();
    return id == null ? "none" : id;
  }

  public static Pool pg(Vertx vertx, GridlineConfig config) {
    return pg(vertx, config, Store.POSTGRES.urlKey(), "gridline");
  }

  public static Redis redis(Vertx vertx, GridlineConfig config) {
    RedisOptions options = new RedisOptions().setConnectionString(config.string(Store.REDIS.urlKey()))
        .setMaxPoolSize(8).setMaxPoolWaiting(256);
    return Redis.createClient(vertx, options);
  }
}
