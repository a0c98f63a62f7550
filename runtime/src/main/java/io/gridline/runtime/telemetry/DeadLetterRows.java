package io.gridline.runtime.telemetry;

import io.gridline.runtime.Failures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes {@code telemetry_dlq} rows in batches: rows of up to {@link #LINGER_MS} gather into one
 * {@code INSERT … SELECT * FROM unnest(…)}, at most {@link #MAX_BATCH} rows a statement and {@link #MAX_IN_FLIGHT}
 * statements at once. One insert per dead letter (and the processor holds up to {@code processor.max-in-flight}
 * records) overflowed the pool's wait queue and fell to a few hundred rows a second when a device flooded the DLQ;
 * batched, the DLQ keeps up with the decoder. A batch the database refuses for good (a row it cannot store) is written
 * again row by row, so only that row's record fails. Confined to the verticle's event loop.
 */
public final class DeadLetterRows {
  static final int MAX_BATCH = 500;
  static final int MAX_IN_FLIGHT = 2;
  static final long LINGER_MS = 5;
  private static final String INSERT = "INSERT INTO telemetry_dlq (tenant_id, mac, reason, detail, topic, payload, "
      + "received_at) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], "
      + "$7::timestamptz[])";

  /** A row on its way, and who waits for it. */
  record Row(UUID tenant, String mac, String reason, String detail, String topic, Buffer payload,
      OffsetDateTime receivedAt, Promise<Void> written) {}

  private final Vertx vertx;
  private final Pool pool;
  private List<Row> open = new ArrayList<>();
  private long timer = -1;
  private int inFlight;

  public DeadLetterRows(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Succeeds once the row is committed. */
  Future<Void> add(UUID tenant, String mac, String reason, String detail, String topic, Buffer payload,
      OffsetDateTime receivedAt) {
    Promise<Void> written = Promise.promise();
    open.add(new Row(tenant, mac, reason, detail, topic, payload, receivedAt, written));
    if (open.size() >= MAX_BATCH) {
      flush();
    } else if (timer < 0) {
      timer = vertx.setTimer(LINGER_MS, t -> {
        timer = -1;
        flush();
      });
    }
    return written.future();
  }

  private void flush() {
    if (open.isEmpty() || inFlight >= MAX_IN_FLIGHT) {
      return; // a finishing batch flushes again
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<Row> batch = open.size() <= MAX_BATCH ? open : new ArrayList<>(open.subList(0, MAX_BATCH));
    open = open.size() <= MAX_BATCH ? new ArrayList<>() : new ArrayList<>(open.subList(MAX_BATCH, open.size()));
    inFlight++;
    insert(batch)
        .recover(err -> Failures.isPermanent(err) && batch.size() > 1 ? oneByOne(batch) : Future.failedFuture(err))
        .onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            batch.forEach(r -> r.written().tryFail(ar.cause()));
          } else {
            batch.forEach(r -> r.written().tryComplete());
          }
          flush();
        });
  }

  private Future<Void> insert(List<Row> rows) {
    int n = rows.size();
    UUID[] tenants = new UUID[n];
    String[] macs = new String[n];
    String[] reasons = new String[n];
    String[] details = new String[n];
    String[] topics = new String[n];
    Buffer[] payloads = new Buffer[n];
    OffsetDateTime[] received = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      tenants[i] = r.tenant();
      macs[i] = r.mac();
      reasons[i] = r.reason();
      details[i] = r.detail();
      topics[i] = r.topic();
      payloads[i] = r.payload();
      received[i] = r.receivedAt();
    }
    return pool.preparedQuery(INSERT).execute(Tuple.of(tenants, macs, reasons, details, topics, payloads, received))
        .mapEmpty();
  }

  /** Each row in its own statement: the refused one fails alone, the others are written. */
  private Future<Void> oneByOne(List<Row> batch) {
    Future<Void> chain = Future.succeededFuture();
    for (Row r : batch) {
      chain = chain.eventually(() -> insert(List.of(r)).onComplete(ar -> {
        if (ar.failed()) {
          r.written().tryFail(ar.cause());
        } else {
          r.written().tryComplete();
        }
      }));
    }
    return chain.transform(ar -> Future.succeededFuture());
  }
}
