package io.gridline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.impl.KafkaConsumerRecordImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sealing by size and by linger, and the offsets a batch covers. */
class BatchCollectorTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static KafkaConsumerRecord<String, Buffer> record(int partition, long offset, int values) {
    List<DecodedTelemetry.Value> v = new ArrayList<>();
    for (int i = 0; i < values; i++) {
      v.add(new DecodedTelemetry.Value(i + 1, "sensor-1.f" + i, i));
    }
    Buffer value = KafkaCodecs.DECODED_TELEMETRY.encode(new DecodedTelemetry("t", 1, offset, v));
    return new KafkaConsumerRecordImpl<>(new ConsumerRecord<>(Topics.TELEMETRY_DECODED, partition, offset, "1", value));
  }

  @Test
  void sealsByRowsAndByLingerAndCoversTheHighestOffsetPerPartition() throws Exception {
    List<BatchContext> sealed = new ArrayList<>();
    BatchCollector collector = new BatchCollector(vertx, new DecodedRecordReader(new SimpleMeterRegistry()), 6, 100,
        sealed::add);
    vertx.runOnContext(v -> {
      collector.add(record(0, 10, 3));
      collector.add(record(1, 4, 2));
      collector.add(record(0, 11, 3));   // 8 rows >= 6: sealed
      collector.add(record(2, 0, 1));    // lingers
    });
    Thread.sleep(400);
    assertEquals(2, sealed.size());
    assertEquals(8, sealed.get(0).rows.size());
    assertEquals(Map.of(new TopicPartition(Topics.TELEMETRY_DECODED, 0), 12L,
        new TopicPartition(Topics.TELEMETRY_DECODED, 1), 5L), sealed.get(0).nextOffsets);
    assertEquals(1, sealed.get(1).rows.size());
    assertEquals(Map.of(new TopicPartition(Topics.TELEMETRY_DECODED, 2), 1L), sealed.get(1).nextOffsets);
  }

  @Test
  void backoffDoublesUpToTheCap() {
    WriteRetry retry = new WriteRetry(vertx, 100, 1000, 10, new SinkHealth(), new SimpleMeterRegistry());
    assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L),
        List.of(retry.delayAfter(1), retry.delayAfter(2), retry.delayAfter(3), retry.delayAfter(4),
            retry.delayAfter(5), retry.delayAfter(40)));
  }
}
