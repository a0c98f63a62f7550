package io.gridline.lorawan.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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

  /** Frames per write at most. */
  private static final int MAX_BATCH = 500;
  private final Pool pool;
  private final int keep;
  private List<Pending> pending = new ArrayList<>();
  private boolean writing;

  public FrameStore(Pool pool, int keep) {
    this.pool = pool;
    this.keep = keep;
  }

  /**
   * Stores the frame (idempotent on its id). Frames arriving while a write is in flight go together in the next one,
   * one round trip for all of them (group commit): no wait when the server is quiet, fewer statements' overhead
   * when it is busy. A batch the database refuses is retried row by row, so one bad frame fails alone.
   */
  public Future<Void> insert(Frame f) {
    Promise<Void> done = Promise.promise();
    pending.add(new Pending(tuple(f), f.deviceId(), done));
    if (!writing) {
      writeNext();
    }
    return done.future();
  }

  private record Pending(Tuple args, long deviceId, Promise<Void> done) {}

  private void writeNext() {
    if (pending.isEmpty()) {
      writing = false;
      return;
    }
    writing = true;
    List<Pending> batch = pending.size() <= MAX_BATCH ? pending : new ArrayList<>(pending.subList(0, MAX_BATCH));
    pending = pending.size() <= MAX_BATCH ? new ArrayList<>() : new ArrayList<>(pending.subList(MAX_BATCH, pending.size()));
    Future<Void> written = batch.size() == 1 ? writeOne(batch.get(0)) : pool.preparedQuery(INSERT)
        .executeBatch(batch.stream().map(Pending::args).toList())
        .map(rows -> {
          RowSet<Row> r = rows;
          for (Pending p : batch) {
            trimIfDue(r, p.deviceId());
            p.done().tryComplete();
            r = r.next();
          }
          return (Void) null;
        })
        .recover(err -> Future.join(batch.stream().map(this::writeOne).toList()).<Void>mapEmpty()
            .recover(e -> Future.succeededFuture()));
    written.onComplete(ar -> writeNext());
  }

  /** One frame on its own: its promise gets the outcome. */
  private Future<Void> writeOne(Pending p) {
    return pool.preparedQuery(INSERT).execute(p.args())
        .onSuccess(rows -> trimIfDue(rows, p.deviceId()))
        .<Void>mapEmpty()
        .andThen(ar -> {
          if (ar.succeeded()) {
            p.done().tryComplete();
          } else {
            p.done().tryFail(ar.cause());
          }
        });
  }

  /** Every {@link #TRIM_EVERY}th row id, the device's oldest frames beyond the bound go (in the background). */
  private void trimIfDue(RowSet<Row> rows, long deviceId) {
    if (rows != null && rows.size() == 1 && rows.iterator().next().getLong(0) % TRIM_EVERY == 0) {
      pool.preparedQuery(TRIM).execute(Tuple.of(deviceId, keep));
    }
  }

  private static Tuple tuple(Frame f) {
    return Tuple.of(f.frameId(), f.deviceId(), f.source(), f.fCnt(), f.fPort(), Buffer.buffer(f.data()),
        f.confirmed(), f.rxInfo(), OffsetDateTime.ofInstant(Instant.ofEpochMilli(f.receivedAtMs()), ZoneOffset.UTC));
  }
}
