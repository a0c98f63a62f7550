package io.gridline.lorawan.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The uplinks kept for {@code GET /api/v1/lorawan/devices/{devEui}/frames}: one row per frame ({@code frame_id}
 * derived from the frame's identity, so a frame handled twice is stored once), the newest
 * {@code lorawan.frames-per-device} per device (older ones are trimmed every {@link #TRIM_EVERY} rows).
 */
public final class FrameStore {
  static final int TRIM_EVERY = 32;
  private static final String INSERT = "INSERT INTO lorawan_frames (frame_id, device_id, source, f_cnt, f_port, data, "
      + "confirmed, rx_info, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
      + "ON CONFLICT (frame_id) DO NOTHING RETURNING id";
  private static final String TRIM = "DELETE FROM lorawan_frames WHERE device_id = $1 AND id <= "
      + "(SELECT id FROM lorawan_frames WHERE device_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)";

  /** One frame: {@code fCnt} and {@code fPort} may be null (a frame without FPort, an event without counter). */
  public record Frame(UUID frameId, long deviceId, String source, Long fCnt, Integer fPort, byte[] data,
      boolean confirmed, JsonArray rxInfo, long receivedAtMs) {}

  private final Pool pool;
  private final int keep;

  public FrameStore(Pool pool, int keep) {
    this.pool = pool;
    this.keep = keep;
  }

  public Future<Void> insert(Frame f) {
    Tuple args = Tuple.of(f.frameId(), f.deviceId(), f.source(), f.fCnt(), f.fPort(), Buffer.buffer(f.data()),
        f.confirmed(), f.rxInfo(), OffsetDateTime.ofInstant(Instant.ofEpochMilli(f.receivedAtMs()), ZoneOffset.UTC));
    return pool.preparedQuery(INSERT).execute(args).compose(rows -> {
      if (rows.size() == 1 && rows.iterator().next().getLong(0) % TRIM_EVERY == 0) {
        return pool.preparedQuery(TRIM).execute(Tuple.of(f.deviceId(), keep)).mapEmpty();
      }
      return Future.succeededFuture();
    });
  }
}
