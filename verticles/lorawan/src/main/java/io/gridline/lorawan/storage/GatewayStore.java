package io.gridline.lorawan.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The registered gateways ({@code lorawan_gateways}), held in memory: the table is small and read on every datagram.
 * Reloaded on a timer and, at most once a second, when a datagram names a gateway not held yet (just registered).
 * Last seen and stats are written at most once per {@link #SEEN_WRITE_MS} per gateway.
 */
public final class GatewayStore {
  public static final long RELOAD_MS = 10_000;
  static final long MISS_RELOAD_MS = 1_000;
  static final long SEEN_WRITE_MS = 10_000;
  private final Pool pool;
  private volatile Set<String> registered = Set.of();
  private Future<Void> loading;
  private long lastLoad;
  private final Map<String, Long> seenWritten = new HashMap<>();

  public GatewayStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> reload() {
    if (loading != null) {
      return loading;
    }
    lastLoad = System.currentTimeMillis();
    Future<Void> load = pool.query("SELECT gateway_id FROM lorawan_gateways").execute().map(rows -> {
      java.util.HashSet<String> ids = new java.util.HashSet<>();
      for (Row r : rows) {
        ids.add(r.getString(0));
      }
      registered = Set.copyOf(ids);
      return (Void) null;
    });
    loading = load;
    return load.onComplete(ar -> loading = null);
  }

  /** Whether the gateway is registered; a miss reloads (at most once a second) before answering no. */
  public Future<Boolean> isRegistered(String gatewayId) {
    if (registered.contains(gatewayId)) {
      return Future.succeededFuture(true);
    }
    if (loading == null && System.currentTimeMillis() - lastLoad < MISS_RELOAD_MS) {
      return Future.succeededFuture(false);
    }
    return reload().map(v -> registered.contains(gatewayId)).otherwise(false);
  }

  /** Records that the gateway was heard (and its {@code stat}, when given); writes are throttled per gateway. */
  public Future<Void> seen(String gatewayId, JsonObject stats) {
    long now = System.currentTimeMillis();
    Long last = seenWritten.get(gatewayId);
    if (stats == null && last != null && now - last < SEEN_WRITE_MS) {
      return Future.succeededFuture();
    }
    seenWritten.put(gatewayId, now);
    if (seenWritten.size() > 100_000) {
      seenWritten.clear();
    }
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
    String sql = stats == null
        ? "UPDATE lorawan_gateways SET last_seen_at = $2 WHERE gateway_id = $1"
        : "UPDATE lorawan_gateways SET last_seen_at = $2, stats = $3, updated_at = $2 WHERE gateway_id = $1";
    Tuple args = stats == null ? Tuple.of(gatewayId, at) : Tuple.of(gatewayId, at, stats);
    return pool.preparedQuery(sql).execute(args).mapEmpty();
  }
}
