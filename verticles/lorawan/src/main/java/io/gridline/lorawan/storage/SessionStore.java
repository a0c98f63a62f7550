package io.gridline.lorawan.storage;

import io.gridline.contracts.lorawan.LorawanKeys;
import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.SessionKeys;
import io.gridline.runtime.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Device sessions: Redis ({@code lorawan:ds:<DevEUI>}, and {@code lorawan:devaddr:<DevAddr>} → DevEUIs) in front of
 * {@code lorawan_sessions}, which every change is written to first, so a Redis flush loses nothing: a miss reads
 * PostgreSQL and puts the session back. The api writes {@code lorawan_sessions} for ABP activation and deletes the
 * Redis entry; a DevEUI left in an address set after its session moved to another address is dropped when seen.
 */
public final class SessionStore {
  private static final String SELECT = "SELECT s.device_id, dv.tenant_id, s.dev_eui, d.region, d.mac_version, "
      + "d.payload_codec, s.dev_addr, s.activation, s.nwk_s_key, s.app_s_key, s.f_cnt_up, s.n_f_cnt_down, s.state "
      + "FROM lorawan_sessions s JOIN lorawan_devices d ON d.device_id = s.device_id "
      + "JOIN devices dv ON dv.id = s.device_id ";
  private static final String UPSERT = "INSERT INTO lorawan_sessions (device_id, dev_eui, dev_addr, activation, "
      + "nwk_s_key, app_s_key, f_cnt_up, n_f_cnt_down, state, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
      + "ON CONFLICT (device_id) DO UPDATE SET dev_eui = EXCLUDED.dev_eui, dev_addr = EXCLUDED.dev_addr, "
      + "activation = EXCLUDED.activation, nwk_s_key = EXCLUDED.nwk_s_key, app_s_key = EXCLUDED.app_s_key, "
      + "f_cnt_up = EXCLUDED.f_cnt_up, n_f_cnt_down = EXCLUDED.n_f_cnt_down, state = EXCLUDED.state, "
      + "updated_at = EXCLUDED.updated_at";
  private static final String UPDATE_COUNTERS = "UPDATE lorawan_sessions SET f_cnt_up = $2, n_f_cnt_down = $3, "
      + "state = $4, updated_at = $5 WHERE device_id = $1";
  /** The same, answering in the same round trip whether the device has commands queued or awaiting an ACK. */
  private static final String UPDATE_COUNTERS_ASK_OPEN = UPDATE_COUNTERS + " RETURNING EXISTS (SELECT 1 FROM commands "
      + "WHERE device_id = $1 AND status IN ('queued', 'sent'))";

  private final Pool pool;
  private final Redis client;
  private final RedisAPI redis;
  private final SecretBox box;

  public SessionStore(Pool pool, Redis redis, SecretBox box) {
    this.pool = pool;
    this.client = redis;
    this.redis = RedisAPI.api(redis);
    this.box = box;
  }

  /** The sessions that use {@code devAddr} (usually one; several when addresses collide). */
  public Future<List<DeviceSession>> byDevAddr(DevAddr devAddr) {
    String addr = devAddr.hex();
    return redis.smembers(LorawanKeys.devAddr(addr)).compose(members -> {
      if (members == null || members.size() == 0) {
        return fromPg("WHERE s.dev_addr = $1", addr).compose(found -> cacheAll(found).map(found));
      }
      List<String> keys = new ArrayList<>(members.size());
      for (Response m : members) {
        keys.add(LorawanKeys.session(m.toString()));
      }
      return redis.mget(keys).compose(values -> {
        List<DeviceSession> sessions = new ArrayList<>();
        List<Future<?>> misses = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
          String devEui = members.get(i).toString();
          Response value = values.get(i);
          if (value != null) {
            DeviceSession s = open(new JsonObject(value.toString()));
            if (s.devAddr().equals(devAddr)) {
              sessions.add(s);
            } else {
              misses.add(redis.srem(List.of(LorawanKeys.devAddr(addr), devEui)));
            }
          } else {
            misses.add(byDevEuiFromPg(devEui).compose(found -> {
              if (found.isPresent() && found.get().devAddr().equals(devAddr)) {
                synchronized (sessions) {
                  sessions.add(found.get());
                }
                return cache(found.get());
              }
              return redis.srem(List.of(LorawanKeys.devAddr(addr), devEui)).mapEmpty();
            }));
          }
        }
        return Future.all(misses).map(v -> sessions);
      });
    });
  }

  /** The sessions on {@code devAddr} as PostgreSQL has them, put back into Redis (the address index included). */
  public Future<List<DeviceSession>> byDevAddrFromDatabase(DevAddr devAddr) {
    return fromPg("WHERE s.dev_addr = $1", devAddr.hex()).compose(found -> cacheAll(found).map(found));
  }

  /** The device's session, if it has one. */
  public Future<Optional<DeviceSession>> byDevEui(String devEui) {
    return redis.get(LorawanKeys.session(devEui)).compose(value -> value != null
        ? Future.succeededFuture(Optional.of(open(new JsonObject(value.toString()))))
        : byDevEuiFromPg(devEui).compose(found -> found.isPresent()
            ? cache(found.get()).map(found) : Future.succeededFuture(found)));
  }

  private Future<Optional<DeviceSession>> byDevEuiFromPg(String devEui) {
    return fromPg("WHERE s.dev_eui = $1", devEui).map(l -> l.stream().findFirst());
  }

  /** A new session (a join), replacing any earlier one of the device: PostgreSQL first, then Redis. */
  public Future<Void> create(DeviceSession s, Optional<DevAddr> previous) {
    Tuple args = Tuple.of(s.deviceId(), s.devEui(), s.devAddr().hex(), s.activation(), s.sealedNwkSKey(),
        s.sealedAppSKey()).addLong(s.fCntUp()).addLong(s.nFCntDown()).addValue(s.state()).addValue(now());
    return pool.preparedQuery(UPSERT).execute(args)
        .compose(v -> previous.filter(p -> !p.equals(s.devAddr()))
            .map(p -> redis.srem(List.of(LorawanKeys.devAddr(p.hex()), s.devEui())).<Void>mapEmpty())
            .orElse(Future.succeededFuture()))
        .compose(v -> cache(s));
  }

  /**
   * The counters and state after an uplink, PostgreSQL first, then Redis; answers whether the device has open
   * commands (queued, or sent and awaiting an ACK), so an uplink with nothing due costs no look at the queue.
   */
  public Future<Boolean> saveAfterUplink(DeviceSession s) {
    return pool.preparedQuery(UPDATE_COUNTERS_ASK_OPEN)
        .execute(Tuple.of(s.deviceId()).addLong(s.fCntUp()).addLong(s.nFCntDown()).addValue(s.state())
            .addValue(now()))
        .compose(rows -> rows.size() == 1
            ? cache(s).map(rows.iterator().next().getBoolean(0))
            : Future.failedFuture("the session of " + s.devEui() + " is gone (device deleted or re-activated)"));
  }

  /** The counters and state after an uplink or downlink: PostgreSQL first, then Redis. */
  public Future<Void> save(DeviceSession s) {
    return pool.preparedQuery(UPDATE_COUNTERS)
        .execute(Tuple.of(s.deviceId()).addLong(s.fCntUp()).addLong(s.nFCntDown()).addValue(s.state())
            .addValue(now()))
        .compose(rows -> rows.rowCount() == 1 ? cache(s)
            : Future.failedFuture("the session of " + s.devEui() + " is gone (device deleted or re-activated)"));
  }

  private Future<Void> cacheAll(List<DeviceSession> sessions) {
    return Future.all(sessions.stream().map(this::cache).toList()).mapEmpty();
  }

  /** The session and its address index entry, in one pipelined round trip. */
  private Future<Void> cache(DeviceSession s) {
    return client.batch(List.of(
            Request.cmd(Command.SET).arg(LorawanKeys.session(s.devEui())).arg(s.toJson().encode()),
            Request.cmd(Command.SADD).arg(LorawanKeys.devAddr(s.devAddr().hex())).arg(s.devEui())))
        .mapEmpty();
  }

  private Future<List<DeviceSession>> fromPg(String where, String arg) {
    return pool.preparedQuery(SELECT + where).execute(Tuple.of(arg)).map(this::rows);
  }

  private List<DeviceSession> rows(RowSet<Row> rows) {
    List<DeviceSession> out = new ArrayList<>();
    for (Row r : rows) {
      String devEui = r.getString("dev_eui");
      byte[] nwk = r.getBuffer("nwk_s_key").getBytes();
      byte[] app = r.getBuffer("app_s_key").getBytes();
      SessionKeys keys = new SessionKeys(openKey(nwk, devEui), openKey(app, devEui));
      out.add(new DeviceSession(r.getInteger("device_id"), r.getUUID("tenant_id").toString(), devEui,
          r.getString("region"), r.getString("mac_version"), r.getString("payload_codec"),
          DevAddr.fromHex(r.getString("dev_addr")), r.getString("activation"), keys, nwk, app,
          r.getLong("f_cnt_up"), r.getLong("n_f_cnt_down"), (JsonObject) r.getValue("state")));
    }
    return out;
  }

  private DeviceSession open(JsonObject j) {
    String devEui = j.getString("devEui");
    java.util.Base64.Decoder b64 = java.util.Base64.getDecoder();
    SessionKeys keys = new SessionKeys(openKey(b64.decode(j.getString("nwkSKey")), devEui),
        openKey(b64.decode(j.getString("appSKey")), devEui));
    return DeviceSession.fromJson(j, keys);
  }

  /** Seals a key of {@code devEui}'s (the DevEUI text is the associated data: a key copied to another row fails). */
  public byte[] seal(AesKey key, String devEui) {
    return box.seal(key.octets(), devEui.getBytes(StandardCharsets.US_ASCII));
  }

  private AesKey openKey(byte[] sealed, String devEui) {
    return AesKey.of(box.open(sealed, devEui.getBytes(StandardCharsets.US_ASCII)));
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
