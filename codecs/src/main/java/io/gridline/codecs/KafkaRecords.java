package io.gridline.codecs;

import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/**
 * The Kafka records Gridline produces: the value in its codec's JSON and the {@value KafkaJsonCodec#SCHEMA_HEADER}
 * header naming the codec's schema version (docs/architecture.md §4), so no producer can send one without the other.
 */
public final class KafkaRecords {
  private KafkaRecords() {}

  /** A record for {@code topic} with {@code key} and {@code value} encoded by {@code codec}, schema header set. */
  public static <T extends Record> KafkaProducerRecord<String, Buffer> of(String topic, String key,
      KafkaJsonCodec<T> codec, T value) {
    return KafkaProducerRecord.create(topic, key, codec.encode(value))
        .addHeader(KafkaJsonCodec.SCHEMA_HEADER, codec.schemaVersion());
  }
}
