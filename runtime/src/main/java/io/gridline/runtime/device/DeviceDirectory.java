package io.gridline.runtime.device;

import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryAddresses;
import io.gridline.contracts.registry.RegistryCacheKeys;
import io.gridline.runtime.GridlineConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device registry as the protocol verticles read it: a {@link RegisteredDevice} by kind and canonical external id,
 * through this process's map, then Redis ({@link RegistryCacheKeys#device}), then PostgreSQL. Create one per verticle
 * instance and use it on that instance's event loop only (it is not thread-safe); one instance serves every kind.
 *
 * <ul>
 *   <li>{@link #known} answers from the map alone, without a future: the warm path of a hot loop (a future composed
 *       from a Kafka record's duplicated context dispatches through the event-loop queue, see the stream-processor's
 *       README). {@link #lookup} answers a miss; concurrent misses for one id share one lookup.
 *   <li>Entries live {@value #TTL_KEY} seconds in the map and in Redis, so a lost change broadcast leaves stale data
 *       for at most that long. Unknown ids are remembered in process only (a device created later announces itself
 *       with {@code CREATED}), and the map keeps at most {@link #MAX_ENTRIES} ids, least recently used out: ids are
 *       what devices and upstream brokers choose.
 *   <li>{@code gridline.registry.device.changed}, for every kind, drops what the map holds of the device; the next
 *       lookup then reads PostgreSQL first, as Redis may still hold what the change replaced (a lookup elsewhere may
 *       have written it back after the api evicted it), and writes the answer to Redis (or deletes the entry). A lookup
 *       under way when the change arrived is answered but not cached, in the map or in Redis, so it cannot put the old
 *       device back. {@link #onCredentialsEnded} hooks {@code DELETED} and {@code CREDENTIALS} changes of a kind: the
 *       sessions a device opened with what no longer holds must end.
 * </ul>
 *
 * <p>Registry data only: credentials are not cached here, so no cache can keep an old secret or a revoked
 * certificate usable.
 */
public final class DeviceDirectory {
  private static final Logger log = LoggerFactory.getLogger(DeviceDirectory.class);
  /**
   * The TTL of the directory in every verticle, in seconds; declared under {@code processor.} where the cache was
   * first, and kept there so existing configurations keep working.
   */
  public static final String TTL_KEY = "processor.cache-ttl-seconds";
  /** Ids one directory keeps in process; past it the least recently used go. */
  public static final int MAX_ENTRIES = 100_000;
  private static final String BY_EXTERNAL_ID = "SELECT id, tenant_id::text AS tenant_id, name, metadata "
      + "FROM devices WHERE kind = $1 AND external_id = $2";

  private record Key(String kind, String externalId) {}

  /** What the map holds for an id: a completed lookup, one under way, or the mark of a change since. */
  private sealed interface Entry permits Loaded, Loading, Changed {}

  private record Loaded(Optional<RegisteredDevice> device, Future<Optional<RegisteredDevice>> answer, long expiresAt)
      implements Entry {}

  private record Loading(Future<Optional<RegisteredDevice>> answer) implements Entry {}

  private enum Changed implements Entry { SINCE_READ }

  /** A lookup's answer and whether PostgreSQL gave it (then it goes to Redis). */
  private record Read(Optional<RegisteredDevice> device, boolean fromDatabase) {}

  private final Vertx vertx;
  private final Pool pool;
  private final RedisAPI redis;
  private final long ttlMillis;
  private final Map<Key, Entry> entries;
  private final Map<String, BiConsumer<String, DeviceChanged.Change>> credentialsEnded = new HashMap<>();
  private MessageConsumer<DeviceChanged> consumer;

  DeviceDirectory(Vertx vertx, Pool pool, RedisAPI redis, Duration ttl, int maxEntries) {
    this.vertx = vertx;
    this.pool = pool;
    this.redis = redis;
    this.ttlMillis = Math.max(0, ttl.toMillis());
    this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /**
   * A directory over the registry in {@code pool}, caching in {@code redis} for {@code ttl} ({@link #ttl}); call
   * {@link #listenForChanges} before use and {@link #close} at stop.
   */
  public static DeviceDirectory create(Vertx vertx, Pool pool, RedisAPI redis, Duration ttl) {
    return new DeviceDirectory(vertx, pool, redis, ttl, MAX_ENTRIES);
  }

  /** The TTL every verticle's directory uses: {@value #TTL_KEY}. */
  public static Duration ttl(GridlineConfig config) {
    return Duration.ofSeconds(config.positiveLong(TTL_KEY));
  }

  /** Subscribes to the registry's change broadcast, on the caller's context (the verticle's). */
  public Future<Void> listenForChanges() {
    consumer = vertx.eventBus().consumer(RegistryAddresses.DEVICE_CHANGED, msg -> changed(msg.body()));
    return consumer.completion();
  }

  /**
   * Calls {@code handler} with the external id of each device of {@code kind} that was deleted or whose credentials
   * were reissued or revoked ({@code DELETED}, {@code CREDENTIALS}), after its entry was dropped.
   */
  public void onCredentialsEnded(String kind, BiConsumer<String, DeviceChanged.Change> handler) {
    credentialsEnded.merge(kind, handler, BiConsumer::andThen);
  }

  /**
   * The answer this process already holds for the device (a completed lookup within its TTL; empty when the registry
   * has none), without any I/O or future; null when only {@link #lookup} can tell.
   */
  public Optional<RegisteredDevice> known(String kind, String externalId, long nowMillis) {
    Entry held = entries.get(new Key(kind, externalId));
    return held instanceof Loaded loaded && loaded.expiresAt() > nowMillis ? loaded.device() : null;
  }

  /** The device of {@code kind} whose canonical external id is {@code externalId}; empty when the registry has none. */
  public Future<Optional<RegisteredDevice>> lookup(String kind, String externalId) {
    Key key = new Key(kind, externalId);
    long now = System.currentTimeMillis();
    Entry held = entries.get(key);
    if (held instanceof Loaded loaded && loaded.expiresAt() > now) {
      return loaded.answer();
    }
    if (held instanceof Loading loading) {
      return loading.answer();
    }
    Promise<Optional<RegisteredDevice>> answer = Promise.promise();
    Loading loading = new Loading(answer.future());
    entries.put(key, loading);
    boolean afterChange = held == Changed.SINCE_READ;
    Future<Read> read = afterChange
        ? fromDatabase(key)
        : fromRedis(key).compose(hit -> hit != null
            ? Future.succeededFuture(new Read(Optional.of(hit), false))
            : fromDatabase(key));
    read.onComplete(ar -> {
      settle(key, loading, ar, now, afterChange);
      answer.handle(ar.map(Read::device));
    });
    return answer.future();
  }

  /** Ids held in process (answers, lookups under way, change marks). */
  public int size() {
    return entries.size();
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void changed(DeviceChanged change) {
    Key key = new Key(change.kind(), change.externalId());
    if (entries.containsKey(key)) {
      entries.put(key, Changed.SINCE_READ);
    }
    if (change.change() == DeviceChanged.Change.DELETED || change.change() == DeviceChanged.Change.CREDENTIALS) {
      BiConsumer<String, DeviceChanged.Change> handler = credentialsEnded.get(change.kind());
      if (handler != null) {
        handler.accept(change.externalId(), change.change());
      }
    }
  }

  /** Caches what a lookup read, unless a change (or the bound) replaced its entry meanwhile; forgets a failure. */
  private void settle(Key key, Loading loading, AsyncResult<Read> read, long startedAt, boolean afterChange) {
    if (entries.get(key) != loading) {
      return;
    }
    if (read.failed()) {
      entries.remove(key);
      return;
    }
    Optional<RegisteredDevice> device = read.result().device();
    entries.put(key, new Loaded(device, Future.succeededFuture(device), startedAt + ttlMillis));
    if (read.result().fromDatabase()) {
      share(key, device, afterChange);
    }
  }

  private Future<RegisteredDevice> fromRedis(Key key) {
    return redis.get(RegistryCacheKeys.device(key.kind(), key.externalId()))
        .map(r -> r == null ? null
            : RegisteredDevice.fromJson(key.kind(), key.externalId(), new JsonObject(r.toString())))
        .recover(err -> {
          // Redis is a cache: without it (or with an entry it cannot read) the database answers
          log.debug("redis lookup of {} {} failed: {}", key.kind(), key.externalId(), err.getMessage());
          return Future.succeededFuture(null);
        });
  }

  private Future<Read> fromDatabase(Key key) {
    return pool.preparedQuery(BY_EXTERNAL_ID).execute(Tuple.of(key.kind(), key.externalId()))
        .map(rows -> new Read(first(key, rows), true));
  }

  /**
   * What PostgreSQL answered goes to Redis for the other processes: a device, with the TTL. Unknown ids stay in
   * process; after a change the entry is deleted though, as it may hold the device deleted since.
   */
  private void share(Key key, Optional<RegisteredDevice> device, boolean afterChange) {
    String redisKey = RegistryCacheKeys.device(key.kind(), key.externalId());
    long ttlSeconds = ttlMillis / 1000;
    Future<?> written;
    if (device.isEmpty() && afterChange) {
      written = redis.del(List.of(redisKey));
    } else if (device.isPresent() && ttlSeconds > 0) {
      written = redis.set(List.of(redisKey, device.get().toJson().encode(), "EX", String.valueOf(ttlSeconds)));
    } else {
      return;
    }
    written.onFailure(err -> log.debug("redis store of {} failed: {}", redisKey, err.getMessage()));
  }

  private static Optional<RegisteredDevice> first(Key key, RowSet<Row> rows) {
    for (Row r : rows) {
      Object metadata = r.getValue("metadata");
      return Optional.of(new RegisteredDevice(r.getLong("id"), r.getString("tenant_id"), key.kind(), key.externalId(),
          r.getString("name"), metadata instanceof JsonObject o ? o : new JsonObject()));
    }
    return Optional.empty();
  }
}
