package io.gridline.runtime;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Clients for the stores, built from the node's config. Pools are shared by name across a verticle's instances. */
public final class StoreClients {
  private StoreClients() {}

  /** A PostgreSQL pool for {@code pg.url} (or another key holding a libpq URI, e.g. {@code sink.pg-url}). */
  public static Pool pg(Vertx vertx, GridlineConfig config, String urlKey, String poolName) {
    PgUrl url = PgUrl.parse(config.string(urlKey));
    PoolOptions options = new PoolOptions()
        .setMaxSize(config.has("pg.pool-size") ? config.integer("pg.pool-size") : 8)
        .setShared(true)
        .setName(poolName + "@" + url.display());
    return PgBuilder.pool().with(options).connectingTo(url.connectOptions()).using(vertx).build();
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
