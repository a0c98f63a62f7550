package io.gridline.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;

/**
 * Clients for the stores, built from the node's config. A PostgreSQL pool is shared by the instances of one deployment
 * (its name carries the deployment id), never across deployments: a shared pool's connections belong to the context
 * that created it, so undeploying one verticle must not close the pool another verticle still uses.
 *
 * <p>TLS: a {@code pg.url} with {@code sslmode} (see {@link PgUrl}) and a {@code rediss://} {@code redis.url} are
 * encrypted, the server's certificate and host name verified. Only file paths are configured here; Vert.x reads the
 * files when it connects, off the event loop.
 */
public final class StoreClients {
  public static final String REDIS_TRUST_PATH = "redis.tls.trust-path";
  public static final String REDIS_CERT_PATH = "redis.tls.cert-path";
  public static final String REDIS_KEY_PATH = "redis.tls.key-path";

  private StoreClients() {}

  /** A PostgreSQL pool for {@code pg.url} (or another key holding a libpq URI, e.g. {@code sink.pg-url}). */
  public static Pool pg(Vertx vertx, GridlineConfig config, String urlKey, String poolName) {
    PgUrl url = PgUrl.parse(config.string(urlKey));
    PoolOptions options = new PoolOptions()
        .setMaxSize(config.positiveInt("pg.pool-size"))
        // waiters beyond it fail at once (ConnectionPoolTooBusyException) instead of queueing without bound
        .setMaxWaitQueueSize(config.nonNegativeInt("pg.max-wait-queue"))
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
    return Redis.createClient(vertx, redisOptions(config).setMaxPoolSize(config.positiveInt("redis.pool-size"))
        .setMaxPoolWaiting(config.nonNegativeInt("redis.max-wait-queue")));
  }

  /**
   * {@code redis.url} with, for {@code rediss://}, TLS from the start of the connection: the server certificate checked
   * against {@code redis.tls.trust-path} (the JDK trust store when empty) and its host name verified; a client
   * certificate from {@code redis.tls.cert-path}/{@code key-path} when set. Every Redis client (the verticles', the
   * readiness probe) is built from these options.
   */
  public static RedisOptions redisOptions(GridlineConfig config) {
    String url = config.string(Store.REDIS.urlKey());
    RedisOptions options = new RedisOptions().setConnectionString(url);
    if (!url.startsWith("rediss://")) {
      return options;
    }
    NetClientOptions net = options.getNetClientOptions()
        // TLS from the first byte rather than an upgrade after connecting: the same for Redis, fewer states
        .setSsl(true)
        .setHostnameVerificationAlgorithm("HTTPS");
    String server = "Redis " + hostAndPort(url);
    net.setTrustOptions(config.optString(REDIS_TRUST_PATH)
        .map(p -> new ServerTrust(new PemTrustOptions().addCertPath(p), server, REDIS_TRUST_PATH + " " + p))
        .orElseGet(() -> new ServerTrust(new JdkTrustStore(), server, "the JDK trust store (" + REDIS_TRUST_PATH
            + " is empty)")));
    config.optString(REDIS_CERT_PATH).ifPresent(cert -> net.setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(cert).setKeyPath(config.string(REDIS_KEY_PATH))));
    return options;
  }

  /**
   * Blocking (file system): refuses Redis TLS settings that cannot work, so the node stops at start naming the key
   * rather than failing every connection later.
   *
   * @throws InvalidSetting naming the key
   */
  public static void requireValidRedisTls(GridlineConfig config) {
    boolean tls = config.optString(Store.REDIS.urlKey()).filter(url -> url.startsWith("rediss://")).isPresent();
    for (String key : new String[] {REDIS_TRUST_PATH, REDIS_CERT_PATH, REDIS_KEY_PATH}) {
      if (config.optString(key).isPresent() && !tls) {
        throw new InvalidSetting(key, "TLS settings need a rediss:// redis.url");
      }
    }
    PemSettings.requirePair(config, REDIS_CERT_PATH, REDIS_KEY_PATH);
    PemSettings.requireReadable(config, REDIS_TRUST_PATH);
  }

  /** host:port of a redis URL, for messages (never the password of {@code rediss://:pw@host}). */
  private static String hostAndPort(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    } catch (IllegalArgumentException e) {
      return "(unparsable redis.url)";
    }
  }
}
