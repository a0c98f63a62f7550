package io.gridline.api.lorawan;

import io.gridline.api.devices.Device;
import io.gridline.api.devices.DeviceInput;
import io.gridline.api.devices.DeviceRepository;
import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.gridline.api.http.SqlStates;
import io.gridline.api.http.Timestamps;
import io.gridline.contracts.lorawan.LorawanKeys;
import io.gridline.lrwn.region.RegionParams;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of LoRaWAN devices ({@code lorawan_devices} beside their registry row), their ABP sessions
 * ({@code lorawan_sessions}, written here and dropped from the network server's Redis cache so it reads them again)
 * and their frames. Keys are sealed with the DevEUI as associated data and never read back here.
 */
public final class LorawanDeviceRepository {
  private static final String VIEW = "SELECT dv.id, dv.tenant_id, dv.name, dv.metadata, dv.status, dv.last_seen_at, "
      + "dv.created_at, dv.updated_at, d.dev_eui, d.join_eui, d.app_key IS NOT NULL AS has_app_key, d.mac_version, "
      + "d.device_class, d.region, d.payload_codec, d.joined_at, d.battery_level, d.margin, d.last_rssi, d.last_snr, "
      + "d.chirpstack_synced, s.activation, s.dev_addr, s.f_cnt_up, s.n_f_cnt_down, (s.state->>'lastDr')::int AS last_dr "
      + "FROM lorawan_devices d JOIN devices dv ON dv.id = d.device_id "
      + "LEFT JOIN lorawan_sessions s ON s.device_id = d.device_id ";

  /** What the routes need of a device beyond its view. */
  record Found(long deviceId, UUID tenantId, String devEui, String region, Integer lastDr, JsonObject view) {}

  private final Pool pool;
  private final DeviceRepository devices;
  private final RedisAPI redis;
  private final SecretBox box;

  public LorawanDeviceRepository(Pool pool, DeviceRepository devices, RedisAPI redis, SecretBox box) {
    this.pool = pool;
    this.devices = devices;
    this.redis = redis;
    this.box = box;
  }

  /** The registry device and its LoRaWAN row, in one transaction. */
  Future<Device> create(UUID tenantId, LorawanDeviceInput in) {
    JsonObject metadata = in.metadata().copy();
    if (in.model() != null) {
      metadata.put("model", in.model());
    }
    DeviceInput registry = new DeviceInput(ExternalIds.LORAWAN, in.devEui(), in.name(), metadata);
    return pool.withTransaction(conn -> devices.create(conn, tenantId, registry).compose(device -> conn
            .preparedQuery("INSERT INTO lorawan_devices (device_id, dev_eui, join_eui, app_key, mac_version, region, "
                + "payload_codec) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .execute(Tuple.of(device.id(), in.devEui(), in.joinEui(),
                in.appKey() == null ? null : Buffer.buffer(seal(in.appKey(), in.devEui())), in.macVersion(),
                in.region(), in.payloadCodec()))
            .map(device)))
        .recover(err -> Future.failedFuture(SqlStates.is(err, SqlStates.UNIQUE_VIOLATION)
            ? Problem.conflict("a LoRaWAN device with DevEUI " + in.devEui() + " is already registered") : err));
  }

  Future<Found> find(UUID tenantId, String devEui) {
    return pool.preparedQuery(VIEW + "WHERE dv.tenant_id = $1 AND d.dev_eui = $2")
        .execute(Tuple.of(tenantId, devEui))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(Problem.notFound("no LoRaWAN device " + devEui))
            : Future.succeededFuture(found(rows.iterator().next())));
  }

  Future<Page.Slice<JsonObject>> list(UUID tenantId, Page page) {
    Future<List<JsonObject>> items = pool.preparedQuery(VIEW + "WHERE dv.tenant_id = $1 ORDER BY d.dev_eui "
            + "LIMIT $2 OFFSET $3")
        .execute(Tuple.of(tenantId, page.size(), page.offset()))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(r -> out.add(found(r).view()));
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM lorawan_devices d JOIN devices dv "
            + "ON dv.id = d.device_id WHERE dv.tenant_id = $1")
        .execute(Tuple.of(tenantId)).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  /** Deletes the registry device (its LoRaWAN rows, session, frames and commands cascade) and its cached session. */
  Future<Device> delete(Found device) {
    return devices.delete(device.tenantId(), device.deviceId())
        .compose(d -> redis.del(List.of(LorawanKeys.session(device.devEui()))).map(d));
  }

  /** Activation by personalisation: the session the network server will read (its Redis entry is dropped). */
  Future<Void> activate(Found device, ActivationInput in) {
    RegionParams region = RegionParams.byName(device.region()).orElseThrow();
    JsonObject state = new JsonObject().put("rx1DrOffset", 0).put("rx2Dr", region.rx2DataRate())
        .put("rx2Frequency", region.rx2Frequency()).put("rxDelay", RegionParams.RECEIVE_DELAY1.toSeconds());
    String devEui = device.devEui();
    return pool.preparedQuery("INSERT INTO lorawan_sessions (device_id, dev_eui, dev_addr, activation, nwk_s_key, "
            + "app_s_key, f_cnt_up, n_f_cnt_down, state, updated_at) VALUES ($1, $2, $3, 'abp', $4, $5, $6, $7, $8, now()) "
            + "ON CONFLICT (device_id) DO UPDATE SET dev_addr = EXCLUDED.dev_addr, activation = 'abp', "
            + "nwk_s_key = EXCLUDED.nwk_s_key, app_s_key = EXCLUDED.app_s_key, f_cnt_up = EXCLUDED.f_cnt_up, "
            + "n_f_cnt_down = EXCLUDED.n_f_cnt_down, state = EXCLUDED.state, updated_at = now()")
        .execute(Tuple.of(device.deviceId(), devEui, in.devAddr(), Buffer.buffer(seal(in.nwkSKey(), devEui)),
            Buffer.buffer(seal(in.appSKey(), devEui))).addLong(in.fCntUp()).addLong(in.fCntDown()).addValue(state))
        .compose(v -> redis.del(List.of(LorawanKeys.session(devEui))))
        .compose(v -> redis.sadd(List.of(LorawanKeys.devAddr(in.devAddr()), devEui)))
        .mapEmpty();
  }

  /** The device's newest frames. */
  Future<Page.Slice<JsonObject>> frames(Found device, int limit) {
    Future<List<JsonObject>> items = pool.preparedQuery("SELECT f_cnt, f_port, data, confirmed, rx_info, received_at, source FROM lorawan_frames "
            + "WHERE device_id = $1 ORDER BY id DESC LIMIT $2")
        .execute(Tuple.of(device.deviceId(), limit))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            Object rx = r.getJson("rx_info");
            out.add(new JsonObject().put("fCnt", r.getLong("f_cnt")).put("fPort", r.getInteger("f_port"))
                .put("data", HexFormat.of().formatHex(r.getBuffer("data").getBytes()))
                .put("confirmed", r.getBoolean("confirmed"))
                .put("rxInfo", rx instanceof JsonArray a ? a : new JsonArray())
                .put("receivedAt", Timestamps.format(r.getOffsetDateTime("received_at")))
                .put("source", r.getString("source")));
          }
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM lorawan_frames WHERE device_id = $1")
        .execute(Tuple.of(device.deviceId())).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  private byte[] seal(String keyHex, String devEui) {
    return box.seal(HexFormat.of().parseHex(keyHex), devEui.getBytes(StandardCharsets.US_ASCII));
  }

  private static Found found(Row r) {
    JsonObject view = new JsonObject().put("id", r.getInteger("id")).put("devEui", r.getString("dev_eui"))
        .put("joinEui", r.getString("join_eui")).put("name", r.getString("name"))
        .put("metadata", r.getJson("metadata") instanceof JsonObject m ? m : new JsonObject())
        .put("class", r.getString("device_class")).put("region", r.getString("region"))
        .put("macVersion", r.getString("mac_version")).put("payloadCodec", r.getString("payload_codec"))
        .put("otaa", r.getBoolean("has_app_key")).put("status", r.getString("status"))
        .put("activation", r.getString("activation")).put("devAddr", r.getString("dev_addr"))
        .put("fCntUp", r.getLong("f_cnt_up")).put("nFCntDown", r.getLong("n_f_cnt_down"))
        .put("joinedAt", Timestamps.format(r.getOffsetDateTime("joined_at")))
        .put("lastSeenAt", Timestamps.format(r.getOffsetDateTime("last_seen_at")))
        .put("lastRssi", r.getInteger("last_rssi")).put("lastSnr", r.getValue("last_snr") == null ? null
            : r.getFloat("last_snr").doubleValue())
        .put("batteryLevel", r.getValue("battery_level") == null ? null : r.getFloat("battery_level").doubleValue())
        .put("margin", r.getInteger("margin")).put("chirpstackSynced", r.getBoolean("chirpstack_synced"))
        .put("createdAt", Timestamps.format(r.getOffsetDateTime("created_at")))
        .put("updatedAt", Timestamps.format(r.getOffsetDateTime("updated_at")));
    return new Found(r.getInteger("id"), r.getUUID("tenant_id"), r.getString("dev_eui"), r.getString("region"),
        r.getInteger("last_dr"), view);
  }
}
