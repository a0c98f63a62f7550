package io.gridline.lorawan.storage;

import io.gridline.runtime.UntrustedText;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is known of a LoRaWAN device besides its session: when it was last heard and how well ({@code devices}
 * {@code last_seen_at}, {@code lorawan_devices} RSSI/SNR), its battery and link margin, when it joined, and the log
 * events of an external network server ({@code lorawan_device_log}, the newest {@link #LOG_KEPT} per device). Being
 * heard is written at most once per {@code lorawan.status-interval-ms} per device (as the MQTT bridge touches
 * {@code last_seen_at}): at thousands of uplinks a second a row write per uplink is most of the database's work.
 */
public final class DeviceStatus {
  static final int LOG_KEPT = 200;
  static final int TEXT_MAX = 2_000;
  /** Devices whose last write is remembered; beyond it the eldest are forgotten (and written again when heard). */
  private static final int REMEMBERED = 200_000;
  private final Pool pool;
  private final long intervalMs;
  private final Map<Long, Long> lastWritten = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > REMEMBERED;
    }
  };

  public DeviceStatus(Pool pool, long intervalMs) {
    this.pool = pool;
    this.intervalMs = intervalMs;
  }

  /**
   * Heard at {@code atMs} with the best gateway's RSSI and SNR (either may be null); never moves time backwards.
   * Skipped when this device was written less than the interval before.
   */
  public Future<Void> heard(long deviceId, long atMs, Integer rssi, Double snr) {
    Long last = lastWritten.get(deviceId);
    if (last != null && atMs >= last && atMs - last < intervalMs) {
      return Future.succeededFuture();
    }
    lastWritten.put(deviceId, atMs);
    return pool.preparedQuery("WITH d AS (UPDATE devices SET last_seen_at = greatest(last_seen_at, $2) WHERE id = $1) "
            + "UPDATE lorawan_devices SET last_rssi = coalesce($3, last_rssi), last_snr = coalesce($4, last_snr), "
            + "updated_at = now() WHERE device_id = $1")
        .execute(Tuple.of(deviceId, at(atMs), rssi, snr == null ? null : snr.floatValue()))
        .mapEmpty();
  }

  /** A status report: battery level in percent (null when the device cannot tell) and the link margin in dB. */
  public Future<Void> status(long deviceId, Double batteryLevel, Integer margin) {
    return pool.preparedQuery("UPDATE lorawan_devices SET battery_level = $2, margin = coalesce($3, margin), "
            + "updated_at = now() WHERE device_id = $1")
        .execute(Tuple.of(deviceId, batteryLevel == null ? null : batteryLevel.floatValue(), margin))
        .mapEmpty();
  }

  public Future<Void> joined(long deviceId, long atMs) {
    return pool.preparedQuery("UPDATE lorawan_devices SET joined_at = $2, updated_at = now() WHERE device_id = $1")
        .execute(Tuple.of(deviceId, at(atMs)))
        .mapEmpty();
  }

  /** A log event; the device's oldest beyond {@link #LOG_KEPT} go. Untrusted text is made storable. */
  public Future<Void> log(long deviceId, String level, String code, String description, JsonObject context,
      long atMs) {
    return pool.preparedQuery("INSERT INTO lorawan_device_log (device_id, level, code, description, context, "
            + "received_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(deviceId, UntrustedText.storable(level, 32), UntrustedText.storable(code, 128),
            UntrustedText.storable(description, TEXT_MAX), context, at(atMs)))
        .compose(v -> pool.preparedQuery("DELETE FROM lorawan_device_log WHERE device_id = $1 AND id <= (SELECT id "
                + "FROM lorawan_device_log WHERE device_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)")
            .execute(Tuple.of(deviceId, LOG_KEPT)))
        .mapEmpty();
  }

  private static OffsetDateTime at(long ms) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
  }
}
