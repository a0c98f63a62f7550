package io.gridline.sink;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;

/**
 * Gathers records into the open batch and seals it when it holds {@code sink.batch-size} rows or its first record has
 * waited {@code sink.linger-ms}, whichever comes first. Runs on the verticle's event loop only.
 */
final class BatchCollector {
  private final Vertx vertx;
  private final DecodedRecordReader reader;
  private final int batchSize;
  private final long lingerMs;
  private final Handler<BatchContext> sealed;
  private BatchContext open;
  private long lingerTimer = -1;

  BatchCollector(Vertx vertx, DecodedRecordReader reader, int batchSize, long lingerMs, Handler<BatchContext> sealed) {
    this.vertx = vertx;
    this.reader = reader;
    this.batchSize = batchSize;
    this.lingerMs = lingerMs;
    this.sealed = sealed;
  }

  void add(KafkaConsumerRecord<String, Buffer> record) {
    if (open == null) {
      open = new BatchContext(Math.min(batchSize, 1024));
      BatchContext lingering = open;
      lingerTimer = vertx.setTimer(lingerMs, t -> {
        if (open == lingering) {
          seal();
        }
      });
    }
    reader.readInto(record, open);
    if (open.rows.size() >= batchSize) {
      seal();
    }
  }

  /** Seals the open batch now, if there is one (at shutdown). */
  void seal() {
    if (open == null) {
      return;
    }
    vertx.cancelTimer(lingerTimer);
    BatchContext batch = open;
    open = null;
    sealed.handle(batch);
  }
}
