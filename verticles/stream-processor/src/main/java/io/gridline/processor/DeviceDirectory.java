package io.gridline.processor;

import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryCacheKeys;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MAC → registry device, read through two caches: this process's map, then Redis ({@link RegistryCacheKeys}), then
 * PostgreSQL. Both caches expire after the TTL; a {@code DEVICE_CHANGED} broadcast drops the in-process entry at once
 * and the api deletes the Redis key, so a lost broadcast leaves stale data for at most one TTL. Unknown MACs are
 * remembered in process only (a device created later announces itself with {@code CREATED}).
 */
final class DeviceDirectory {
  private static final Logger log = LoggerFactory.getLogger(DeviceDirectory.class);
  private static final String BY_MAC = "SELECT id, tenant_id::text AS tenant_id, "
      + "COALESCE(NULLIF(metadata->>'model', ''), '" + DeviceEntry.DEFAULT_MODEL + "') AS model "
      + "FROM devices WHERE kind = 'mqtt' AND external_id = $1";

  /** Past this size expired entries are swept, so a stream of ever new (unknown) MACs cannot grow the map forever. */
  static final int MAX_LOCAL_ENTRIES = 100_000;

  private record Cached(Future<Optional<DeviceEntry>> entry, long expiresAt) {}

  private final Pool pool;
  private final RedisAPI redis;
  private final long ttlMillis;
  private final Map<String, Cached> local = new HashMap<>();

  DeviceDirectory(Pool pool, RedisAPI redis, long ttlSeconds) {
    this.pool = pool;
    this.redis = redis;
    this.ttlMillis = ttlSeconds * 1000;
  }

  /** The device whose canonical MAC is {@code mac}; empty when the registry has none. */
  Future<Optional<DeviceEntry>> byMac(String mac) {
    long now = System.currentTimeMillis();
    Cached cached = local.get(mac);
    if (cached != null && cached.expiresAt() > now && !cached.entry().failed()) {
      return cached.entry();
    }
    if (local.size() >= MAX_LOCAL_ENTRIES) {
      local.values().removeIf(c -> c.expiresAt() <= now);
    }
    // concurrent misses for one MAC share this lookup
    Future<Optional<DeviceEntry>> lookup = fromRedis(mac).compose(hit -> hit.isPresent()
        ? Future.succeededFuture(hit)
        : fromDatabase(mac));
    local.put(mac, new Cached(lookup, now + ttlMillis));
    return lookup;
  }

  /**
   * The answer this process already holds for {@code mac} (a completed lookup within its TTL), without any I/O; null
   * when only {@link #byMac} can tell. Warm records take this path: no future, no event-loop hop.
   */
  Optional<DeviceEntry> known(String mac, long nowMillis) {
    Cached cached = local.get(mac);
    if (cached != null && cached.expiresAt() > nowMillis && cached.entry().succeeded()) {
      return cached.entry().result();
    }
    return null;
  }

  /** Drops what this process remembers of the changed device (the api removes the Redis key itself). */
  void forget(DeviceChanged change) {
    if (ExternalIds.MQTT.equals(change.kind())) {
      local.remove(change.externalId());
    }
  }

  int size() {
    return local.size();
  }

  private Future<Optional<DeviceEntry>> fromRedis(String mac) {
    return redis.get(RegistryCacheKeys.device(ExternalIds.MQTT, mac))
        .map(r -> r == null ? Optional.<DeviceEntry>empty() : Optional.of(DeviceEntry.fromJson(new JsonObject(r.toString()))))
        .recover(err -> {
          // Redis is a cache: without it the database answers
          log.debug("redis lookup of {} failed: {}", mac, err.getMessage());
          return Future.succeededFuture(Optional.empty());
        });
  }

  private Future<Optional<DeviceEntry>> fromDatabase(String mac) {
    return pool.preparedQuery(BY_MAC).execute(Tuple.of(mac)).map(this::first).onSuccess(found -> found.ifPresent(d ->
        redis.set(List.of(RegistryCacheKeys.device(ExternalIds.MQTT, mac), d.toJson().encode(), "EX", String.valueOf(ttlMillis / 1000)))
            .onFailure(err -> log.debug("redis store of {} failed: {}", mac, err.getMessage()))));
  }

  private Optional<DeviceEntry> first(RowSet<Row> rows) {
    for (Row r : rows) {
      return Optional.of(new DeviceEntry(r.getInteger("id"), r.getString("tenant_id"), r.getString("model")));
    }
    return Optional.empty();
  }
}
