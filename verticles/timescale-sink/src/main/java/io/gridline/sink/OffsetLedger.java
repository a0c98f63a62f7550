package io.gridline.sink;

import io.vertx.core.Future;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a batch's Kafka position, called only after its rows are committed in PostgreSQL. A failed commit (the
 * partition moved to another consumer in a rebalance) loses nothing: the records come again and the primary key
 * drops them as duplicates.
 */
final class OffsetLedger {
  private static final Logger log = LoggerFactory.getLogger(OffsetLedger.class);
  private final KafkaConsumer<String, Buffer> consumer;

  OffsetLedger(KafkaConsumer<String, Buffer> consumer) {
    this.consumer = consumer;
  }

  Future<Void> commit(BatchContext batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    batch.nextOffsets.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next, "")));
    return consumer.commit(offsets)
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("{}: rows are stored but committing offsets {} failed ({}); those records will be redelivered and "
              + "dropped as duplicates", batch, batch.nextOffsets, err.getMessage());
          return Future.succeededFuture();
        });
  }
}
