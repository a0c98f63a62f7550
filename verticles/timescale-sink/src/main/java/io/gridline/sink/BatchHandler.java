package io.gridline.sink;

import io.gridline.runtime.BoundedRetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * A sealed batch's journey, in order: write its rows in one transaction (retried under the bounded rule; waited for
 * while the database is down), and when the database refuses them for good find and park the records it refuses; park
 * malformed records; count what the primary key dropped; wait until every earlier batch committed, and only then
 * commit its Kafka offsets.
 */
final class BatchHandler {
  private final Pool pool;
  private final DecodedDataWriter writer;
  private final WriteRetry retry;
  private final RefusedRecords refused;
  private final OffsetLedger ledger;
  private final Counter rowsWritten;
  private final Counter duplicates;
  private final DistributionSummary batchRows;
  private final Timer writeLatency;
  private final Timer latency;

  BatchHandler(Pool pool, DecodedDataWriter writer, WriteRetry retry, RefusedRecords refused, OffsetLedger ledger,
      MeterRegistry meters) {
    this.pool = pool;
    this.writer = writer;
    this.retry = retry;
    this.refused = refused;
    this.ledger = ledger;
    rowsWritten = Counter.builder("gridline.sink.rows.written").description("rows inserted into decoded_data")
        .register(meters);
    duplicates = Counter.builder("gridline.sink.duplicates")
        .description("rows dropped because decoded_data already held that (timestamp, device, datapoint)")
        .register(meters);
    batchRows = DistributionSummary.builder("gridline.sink.batch.rows").description("rows offered per batch")
        .publishPercentileHistogram().register(meters);
    writeLatency = Timer.builder("gridline.sink.write").description("time of one batch insert transaction")
        .publishPercentileHistogram().register(meters);
    latency = Timer.builder("gridline.sink.latency")
        .description("decoded record produced (its Kafka timestamp) → its rows committed in decoded_data")
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(meters);
  }

  /**
   * @param earlierCommitted completes when the batch before this one committed its offsets: offsets go out in order,
   *                         and never past a batch that failed (its records must be redelivered)
   */
  Future<Void> handle(BatchContext batch, Future<Void> earlierCommitted) {
    return Future.succeededFuture(batch)
        .compose(this::writeRows)
        .compose(this::parkMalformed)
        .map(this::countDuplicates)
        .compose(b -> earlierCommitted.map(b))
        .compose(this::commitOffsets);
  }

  /**
   * One INSERT … unnest … ON CONFLICT DO NOTHING in its own transaction; a batch of only malformed records skips it. A
   * batch the database gave up on is written again in parts, parking the records it refuses.
   */
  private Future<BatchContext> writeRows(BatchContext batch) {
    if (!batch.hasRows()) {
      return Future.succeededFuture(batch);
    }
    long t0 = System.nanoTime();
    return retry.untilWritten(batch, () -> writer.insertInTransaction(pool, batch.rows))
        .recover(err -> err instanceof BoundedRetry.GaveUp gaveUp
            ? refused.isolate(batch, gaveUp)
            : Future.failedFuture(err))
        .map(inserted -> {
          batch.writeNanos = System.nanoTime() - t0;
          batch.inserted = inserted;
          return batch;
        });
  }

  private Future<BatchContext> parkMalformed(BatchContext batch) {
    return batch.malformedRecords.isEmpty() ? Future.succeededFuture(batch) : refused.parkMalformed(batch).map(batch);
  }

  private BatchContext countDuplicates(BatchContext batch) {
    if (batch.hasRows()) {
      batchRows.record(batch.rows.size());
      writeLatency.record(batch.writeNanos, TimeUnit.NANOSECONDS);
      rowsWritten.increment(batch.inserted);
      duplicates.increment(batch.duplicates());
    }
    long now = System.currentTimeMillis();
    for (int i = 0; i < batch.records; i++) {
      latency.record(Math.max(0, now - batch.recordTimestamps[i]), TimeUnit.MILLISECONDS);
    }
    return batch;
  }

  private Future<Void> commitOffsets(BatchContext batch) {
    return ledger.commit(batch);
  }
}
