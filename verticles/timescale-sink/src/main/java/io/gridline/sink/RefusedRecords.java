package io.gridline.sink;

import io.gridline.runtime.BoundedRetry;
import io.gridline.runtime.Parking;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the records of a batch the database refuses: the batch's records are written half by half (each half in its
 * own transaction; {@code ON CONFLICT DO NOTHING} makes rewriting what a failed half left out safe), a half that is
 * refused is halved again, and a single record that is refused is parked with the reason. Every other record's rows
 * land, and the batch completes, so one bad record never holds its partition: about 2·log2(records) writes for one
 * bad record among a full batch.
 */
final class RefusedRecords {
  private static final Logger log = LoggerFactory.getLogger(RefusedRecords.class);
  private final Pool pool;
  private final DecodedDataWriter writer;
  private final WriteRetry retry;
  private final Parking parking;

  RefusedRecords(Pool pool, DecodedDataWriter writer, WriteRetry retry, Parking parking) {
    this.pool = pool;
    this.writer = writer;
    this.retry = retry;
    this.parking = parking;
  }

  /** @return the rows inserted while isolating */
  Future<Integer> isolate(BatchContext batch, BoundedRetry.GaveUp why) {
    log.warn("{} was refused ({}): writing its {} records in parts to find the ones to park", batch, why.getMessage(),
        batch.spans.size());
    return writeOrSplit(batch, batch.spans, why);
  }

  private Future<Integer> writeOrSplit(BatchContext batch, List<BatchContext.Span> spans, BoundedRetry.GaveUp why) {
    if (spans.size() == 1) {
      BatchContext.Span only = spans.get(0);
      batch.parkedRows += only.rowCount();
      return park(batch, only.record(), why).map(0);
    }
    int half = spans.size() / 2;
    return part(batch, spans.subList(0, half))
        .compose(left -> part(batch, spans.subList(half, spans.size())).map(right -> left + right));
  }

  private Future<Integer> part(BatchContext batch, List<BatchContext.Span> spans) {
    DecodedRows rows = batch.rows.subset(spans);
    return retry.onceWritten(batch, () -> writer.insertInTransaction(pool, rows))
        .recover(err -> err instanceof BoundedRetry.GaveUp gaveUp
            ? writeOrSplit(batch, spans, gaveUp)
            : Future.failedFuture(err));
  }

  /** Parks a record the batch cannot store (refused, or malformed); completes once Kafka has it. */
  Future<Void> park(BatchContext batch, KafkaConsumerRecord<String, Buffer> record, BoundedRetry.GaveUp why) {
    return retry.untilParked(batch, () -> parking.park(record, why));
  }

  Future<Void> parkMalformed(BatchContext batch) {
    Future<Void> all = Future.succeededFuture();
    for (BatchContext.Malformed m : batch.malformedRecords) {
      all = all.compose(v -> retry.untilParked(batch, () -> parking.park(m.record(), "malformed", m.error(), 1)));
    }
    return all;
  }
}
