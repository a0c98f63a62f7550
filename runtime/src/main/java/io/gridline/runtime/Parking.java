package io.gridline.runtime;

import io.gridline.contracts.ParkedHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a record goes that its flow gave up on ({@link BoundedRetry.GaveUp}): its original key and value, byte for
 * byte, to a parking topic, with {@link ParkedHeaders} naming its source position, the reason and the last error — so
 * the partition moves on, nothing is lost, and producing the value again to its source topic replays it once the cause
 * is fixed. Counted in {@code gridline_parked_total{source, reason}}. The returned future completes when Kafka
 * acknowledged the parked record: only then may the source offset be committed.
 */
public final class Parking {
  private static final Logger log = LoggerFactory.getLogger(Parking.class);
  private static final LogThrottle throttled = new LogThrottle(log, 20);
  private final KafkaProducer<String, Buffer> producer;
  private final String parkedTopic;
  private final String parkedBy;
  private final MeterRegistry meters;

  public Parking(KafkaProducer<String, Buffer> producer, String parkedTopic, String parkedBy, MeterRegistry meters) {
    this.producer = producer;
    this.parkedTopic = parkedTopic;
    this.parkedBy = parkedBy;
    this.meters = meters;
  }

  public Future<Void> park(KafkaConsumerRecord<String, Buffer> record, BoundedRetry.GaveUp why) {
    return park(record, why.reason(), why.getCause() == null ? why : why.getCause(), why.attempts());
  }

  public Future<Void> park(KafkaConsumerRecord<String, Buffer> record, String reason, Throwable error, int attempts) {
    KafkaProducerRecord<String, Buffer> parked = KafkaProducerRecord.create(parkedTopic, record.key(), record.value())
        .addHeader(ParkedHeaders.SOURCE_TOPIC, record.topic())
        .addHeader(ParkedHeaders.SOURCE_PARTITION, Integer.toString(record.partition()))
        .addHeader(ParkedHeaders.SOURCE_OFFSET, Long.toString(record.offset()))
        .addHeader(ParkedHeaders.REASON, reason)
        .addHeader(ParkedHeaders.ERROR, Failures.describe(error))
        .addHeader(ParkedHeaders.ATTEMPTS, Integer.toString(attempts))
        .addHeader(ParkedHeaders.PARKED_BY, parkedBy);
    return producer.send(parked).<Void>mapEmpty().onSuccess(v -> {
      Counter.builder("gridline.parked").description("records given up on and parked, by source topic and reason")
          .tags("source", record.topic(), "reason", reason).register(meters).increment();
      throttled.warn("parked {}-{}@{} on {} ({}, {} attempt(s)): {}", record.topic(), record.partition(),
          record.offset(), parkedTopic, reason, attempts, Failures.describe(error));
    });
  }
}
