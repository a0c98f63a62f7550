package io.gridline.runtime.device;

import static io.gridline.testkit.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.codecs.Codecs;
import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryAddresses;
import io.gridline.contracts.registry.RegistryCacheKeys;
import io.gridline.testkit.TestStores;
import io.gridline.testkit.Waits;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.PgUrl;
import io.gridline.sql.Migrations;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared device directory against the real PostgreSQL and Redis. Every call runs on one Vert.x context, as in a
 * verticle: the directory belongs to one event loop.
 */
class DeviceDirectoryTest {
  private static final Duration LONG_TTL = Duration.ofMinutes(5);
  private static Vertx vertx;
  private static Context context;
  private static PgUrl pg;
  private static Pool db;
  private static Redis redisClient;
  private static RedisAPI redis;
  private static UUID tenant;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx);
    context = vertx.getOrCreateContext();
    pg = PgUrl.parse(TestStores.pgUrl());
    Migrations.migrate(pg.jdbcUrl(), pg.user(), pg.password());
    db = pool();
    redisClient = Redis.createClient(vertx, TestStores.redisUrl());
    redis = RedisAPI.api(redisClient);
    tenant = UUID.randomUUID();
    await(db.preparedQuery("INSERT INTO tenants (id, name, max_devices) VALUES ($1, 'directory', 1000)")
        .execute(Tuple.of(tenant)));
  }

  @AfterAll
  static void stop() {
    await(db.close());
    redisClient.close();
    await(vertx.close());
  }

  @Test
  void aWarmDeviceIsKnownWithoutAnyIo() {
    String mac = randomMac();
    long id = register(ExternalIds.MQTT, mac, "boiler", new JsonObject().put("model", "m1"));
    Pool ownPool = pool();
    Redis ownRedis = Redis.createClient(vertx, TestStores.redisUrl());
    DeviceDirectory directory = directory(ownPool, RedisAPI.api(ownRedis), LONG_TTL, DeviceDirectory.MAX_ENTRIES);
    assertNull(on(() -> directory.known(ExternalIds.MQTT, mac, System.currentTimeMillis())));

    RegisteredDevice found = await(on(() -> directory.lookup(ExternalIds.MQTT, mac))).orElseThrow();
    assertEquals(new RegisteredDevice(id, tenant.toString(), ExternalIds.MQTT, mac, "boiler",
        new JsonObject().put("model", "m1")), found);

    // without its stores the directory still answers what it holds: no query, no Redis call, no future to wait for
    await(ownPool.close());
    ownRedis.close();
    assertEquals(Optional.of(found), on(() -> directory.known(ExternalIds.MQTT, mac, System.currentTimeMillis())));
    Future<Optional<RegisteredDevice>> again = on(() -> directory.lookup(ExternalIds.MQTT, mac));
    assertTrue(again.succeeded());
    assertSame(found, again.result().orElseThrow());
  }

  @Test
  void aMissReadsPostgresqlAndTheNextProcessFindsTheDeviceInRedis() {
    String mac = randomMac();
    long id = register(ExternalIds.MQTT, mac, "first", new JsonObject().put("model", "m1"));
    DeviceDirectory one = directory(LONG_TTL);
    assertEquals("first", await(on(() -> one.lookup(ExternalIds.MQTT, mac))).orElseThrow().name());

    String key = "gridline:registry:device:mqtt:" + mac;
    assertEquals(key, RegistryCacheKeys.device(ExternalIds.MQTT, mac));
    JsonObject cached = new JsonObject(await(redis.get(key)).toString());
    assertEquals(new JsonObject().put("deviceId", id).put("tenantId", tenant.toString()).put("kind", "mqtt")
        .put("externalId", mac).put("name", "first").put("metadata", new JsonObject().put("model", "m1")), cached);
    long pttl = await(redis.pttl(key)).toLong();
    assertTrue(pttl > 0 && pttl <= LONG_TTL.toMillis(), "pttl " + pttl);

    // the database changes behind the caches' back: another process answers from Redis, not from PostgreSQL
    rename(id, "second");
    DeviceDirectory other = directory(LONG_TTL);
    assertEquals("first", await(on(() -> other.lookup(ExternalIds.MQTT, mac))).orElseThrow().name());
  }

  @Test
  void unknownIdsAreRememberedInProcessOnly() {
    String mac = randomMac();
    DeviceDirectory directory = directory(LONG_TTL);
    assertEquals(Optional.empty(), await(on(() -> directory.lookup(ExternalIds.MQTT, mac))));
    assertEquals(Optional.empty(), on(() -> directory.known(ExternalIds.MQTT, mac, System.currentTimeMillis())));
    assertNull(await(redis.get(RegistryCacheKeys.device(ExternalIds.MQTT, mac))));

    register(ExternalIds.MQTT, mac, "late", new JsonObject()); // created without the CREATED broadcast reaching us
    assertEquals(Optional.empty(), await(on(() -> directory.lookup(ExternalIds.MQTT, mac))));
    DeviceDirectory other = directory(LONG_TTL);
    assertEquals("late", await(on(() -> other.lookup(ExternalIds.MQTT, mac))).orElseThrow().name());
  }

  @Test
  void aChangeBroadcastOfAnyKindDropsTheEntryAndTheNextLookupReadsPostgresql() {
    String devEui = HexFormat.of().formatHex(randomBytes(8));
    long id = register(ExternalIds.LORAWAN, devEui, "before", new JsonObject());
    DeviceDirectory directory = directory(LONG_TTL);
    List<String> ended = new ArrayList<>();
    on(() -> {
      directory.onCredentialsEnded(ExternalIds.LORAWAN, (externalId, change) -> ended.add(externalId + " " + change));
      directory.onCredentialsEnded(ExternalIds.CHARGER, (externalId, change) -> ended.add("charger " + externalId));
      return null;
    });
    assertEquals("before", await(on(() -> directory.lookup(ExternalIds.LORAWAN, devEui))).orElseThrow().name());

    // Redis keeps the old entry (as when a lookup elsewhere wrote it back after the api's eviction)
    rename(id, "after");
    announce(id, ExternalIds.LORAWAN, devEui, DeviceChanged.Change.UPDATED);
    Waits.until("the entry dropped", 5_000,
        () -> on(() -> directory.known(ExternalIds.LORAWAN, devEui, System.currentTimeMillis())) == null);
    assertEquals("after", await(on(() -> directory.lookup(ExternalIds.LORAWAN, devEui))).orElseThrow().name());
    assertEquals("after", new JsonObject(await(redis.get(RegistryCacheKeys.device(ExternalIds.LORAWAN, devEui)))
        .toString()).getString("name"));
    assertEquals(List.of(), on(() -> List.copyOf(ended)), "an update ends no session");

    await(db.preparedQuery("DELETE FROM devices WHERE id = $1").execute(Tuple.of(id)));
    announce(id, ExternalIds.LORAWAN, devEui, DeviceChanged.Change.DELETED);
    Waits.until("the deletion hooked", 5_000, () -> !on(() -> List.copyOf(ended)).isEmpty());
    assertEquals(List.of(devEui + " DELETED"), on(() -> List.copyOf(ended)));
    assertEquals(Optional.empty(), await(on(() -> directory.lookup(ExternalIds.LORAWAN, devEui))));
    assertNull(await(redis.get(RegistryCacheKeys.device(ExternalIds.LORAWAN, devEui))), "the stale entry is gone");
  }

  @Test
  void aLookupAChangeOvertookIsAnsweredButNotCached() throws Exception {
    String chargerId = HexFormat.of().withUpperCase().formatHex(randomBytes(4));
    long id = register(ExternalIds.CHARGER, chargerId, "pile", new JsonObject());
    DeviceDirectory directory = directory(LONG_TTL);
    CompletableFuture<String> hooked = new CompletableFuture<>();
    on(() -> {
      directory.onCredentialsEnded(ExternalIds.CHARGER, (externalId, change) -> hooked.complete(externalId));
      return null;
    });

    // hold the lookup's query behind a table lock, and let the change arrive meanwhile
    Pool locker = pool();
    SqlConnection conn = await(locker.getConnection());
    Transaction tx = await(conn.begin());
    await(conn.query("LOCK TABLE devices IN ACCESS EXCLUSIVE MODE").execute());
    Future<Optional<RegisteredDevice>> lookup = on(() -> directory.lookup(ExternalIds.CHARGER, chargerId));
    Waits.until("the lookup waits for the lock", 10_000, () -> await(db.query(
        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
        + "WHERE NOT l.granted AND d.datname = current_database()").execute()).iterator().next().getLong(0) > 0);
    announce(id, ExternalIds.CHARGER, chargerId, DeviceChanged.Change.CREDENTIALS);
    assertEquals(chargerId, hooked.get(5, TimeUnit.SECONDS));
    await(tx.commit());
    await(conn.close());
    await(locker.close());

    assertEquals(id, await(lookup).orElseThrow().id(), "answered");
    assertNull(on(() -> directory.known(ExternalIds.CHARGER, chargerId, System.currentTimeMillis())), "not cached");
    assertNull(await(redis.get(RegistryCacheKeys.device(ExternalIds.CHARGER, chargerId))), "not shared");
    assertEquals(id, await(on(() -> directory.lookup(ExternalIds.CHARGER, chargerId))).orElseThrow().id());
    assertNotNull(on(() -> directory.known(ExternalIds.CHARGER, chargerId, System.currentTimeMillis())));
  }

  @Test
  void theProcessKeepsTheMostRecentlyUsedIdsUpToItsBound() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add("lab-" + UUID.randomUUID());
      register(ExternalIds.INSTRUMENT, ids.get(i), "instrument " + i, new JsonObject());
    }
    DeviceDirectory directory = directory(db, redis, LONG_TTL, 3);
    for (int i = 0; i < 3; i++) {
      String id = ids.get(i);
      await(on(() -> directory.lookup(ExternalIds.INSTRUMENT, id)));
    }
    assertNotNull(on(() -> directory.known(ExternalIds.INSTRUMENT, ids.get(0), System.currentTimeMillis())));
    await(on(() -> directory.lookup(ExternalIds.INSTRUMENT, ids.get(3))));

    assertEquals(3, (int) on(directory::size));
    assertNull(on(() -> directory.known(ExternalIds.INSTRUMENT, ids.get(1), System.currentTimeMillis())),
        "the least recently used went");
    for (int i : new int[] {0, 2, 3}) {
      assertNotNull(on(() -> directory.known(ExternalIds.INSTRUMENT, ids.get(i), System.currentTimeMillis())));
    }
  }

  @Test
  void entriesExpireAfterTheTtlInProcessAndInRedis() {
    String mac = randomMac();
    long id = register(ExternalIds.MQTT, mac, "old", new JsonObject());
    DeviceDirectory directory = directory(Duration.ofSeconds(1));
    long before = System.currentTimeMillis();
    assertEquals("old", await(on(() -> directory.lookup(ExternalIds.MQTT, mac))).orElseThrow().name());
    long after = System.currentTimeMillis();
    assertNotNull(on(() -> directory.known(ExternalIds.MQTT, mac, before)));
    assertNull(on(() -> directory.known(ExternalIds.MQTT, mac, after + 1_000)));
    long pttl = await(redis.pttl(RegistryCacheKeys.device(ExternalIds.MQTT, mac))).toLong();
    assertTrue(pttl > 0 && pttl <= 1_000, "pttl " + pttl);

    // no broadcast: the change shows once both layers expired
    rename(id, "new");
    assertEquals("old", await(on(() -> directory.lookup(ExternalIds.MQTT, mac))).orElseThrow().name());
    Waits.sleep(1_100);
    assertEquals("new", await(on(() -> directory.lookup(ExternalIds.MQTT, mac))).orElseThrow().name());

    // the declared default: the file is the only place it is written
    assertEquals(Duration.ofSeconds(300), DeviceDirectory.ttl(GridlineConfig.of(
        io.gridline.runtime.config.DeclaredKeys.bundled().defaults())));
    assertEquals(Duration.ofSeconds(7),
        DeviceDirectory.ttl(GridlineConfig.of(new JsonObject().put("processor.cache-ttl-seconds", 7))));
  }

  @Test
  void concurrentMissesShareOneLookupAndAFailedOneIsNotRemembered() {
    String mac = randomMac();
    register(ExternalIds.MQTT, mac, "shared", new JsonObject());
    DeviceDirectory directory = directory(LONG_TTL);
    List<Future<Optional<RegisteredDevice>>> both = on(() -> List.of(directory.lookup(ExternalIds.MQTT, mac),
        directory.lookup(ExternalIds.MQTT, mac)));
    assertSame(both.get(0), both.get(1));
    assertEquals("shared", await(both.get(0)).orElseThrow().name());

    Pool closed = pool();
    await(closed.close());
    DeviceDirectory broken = directory(closed, redis, LONG_TTL, DeviceDirectory.MAX_ENTRIES);
    assertThrows(Exception.class, () -> await(on(() -> broken.lookup(ExternalIds.MQTT, randomMac()))));
    assertEquals(0, (int) on(broken::size));
  }

  @Test
  void aRedisEntryOfAnotherFormatIsReadFromPostgresqlAgain() {
    String mac = randomMac();
    long id = register(ExternalIds.MQTT, mac, "current", new JsonObject().put("model", "m2"));
    String key = RegistryCacheKeys.device(ExternalIds.MQTT, mac);
    // what the stream-processor cached before this directory
    await(redis.set(List.of(key, "{\"deviceId\":" + id + ",\"tenantId\":\"" + tenant + "\",\"model\":\"faces2\"}",
        "EX", "60")));
    DeviceDirectory directory = directory(LONG_TTL);
    RegisteredDevice found = await(on(() -> directory.lookup(ExternalIds.MQTT, mac))).orElseThrow();
    assertEquals("current", found.name());
    assertEquals("m2", found.metadata().getString("model"));
    assertEquals("current", new JsonObject(await(redis.get(key)).toString()).getString("name"));
  }

  // ---- fixture

  private static DeviceDirectory directory(Duration ttl) {
    return directory(db, redis, ttl, DeviceDirectory.MAX_ENTRIES);
  }

  /** A directory created and listening on the test's context, as a verticle does in start(). */
  private static DeviceDirectory directory(Pool pool, RedisAPI redisApi, Duration ttl, int maxEntries) {
    DeviceDirectory directory = on(() -> new DeviceDirectory(vertx, pool, redisApi, ttl, maxEntries));
    await(on(directory::listenForChanges));
    return directory;
  }

  /** Runs {@code action} on the test's context and returns what it returned. */
  private static <T> T on(Supplier<T> action) {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        done.complete(action.get());
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Pool pool() {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(pg.connectOptions()).using(vertx)
        .build();
  }

  private static long register(String kind, String externalId, String name, JsonObject metadata) {
    return await(db.preparedQuery("INSERT INTO devices (tenant_id, kind, external_id, name, metadata) "
            + "VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .execute(Tuple.of(tenant, kind, externalId, name, metadata))).iterator().next().getLong(0);
  }

  private static void rename(long id, String name) {
    await(db.preparedQuery("UPDATE devices SET name = $2 WHERE id = $1").execute(Tuple.of(id, name)));
  }

  /** What the api publishes after a change (it evicts the Redis entry first; these tests leave it, to see past it). */
  private static void announce(long id, String kind, String externalId, DeviceChanged.Change change) {
    vertx.eventBus().publish(RegistryAddresses.DEVICE_CHANGED,
        new DeviceChanged(id, tenant.toString(), kind, externalId, change));
  }

  private static String randomMac() {
    return HexFormat.ofDelimiter(":").formatHex(randomBytes(6));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}
