package io.gridline.mqtt;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaJsonCodec;
import io.gridline.codecs.KafkaRecords;
import io.gridline.contracts.Topics;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/**
 * Writes the bridge's Kafka records: accepted publishes to {@code gridline.telemetry.raw} (key = MAC) and device
 * events to {@code gridline.events} (key = device id). A returned future completes when Kafka acknowledged the record
 * ({@code acks=all}): the moment the bridge may acknowledge the device. Every record counts in the node's
 * {@link KafkaBacklog} until then; {@link #backlogFull} tells the publish paths when to stop adding to it.
 */
final class TelemetryWriter {
  private final KafkaProducer<String, Buffer> producer;
  private final KafkaHealth health;
  private final KafkaBacklog backlog;
  private final long maxPendingBytes;
  private final long maxPendingRecords;
  private final BridgeMeters meters;

  TelemetryWriter(KafkaProducer<String, Buffer> producer, KafkaHealth health, KafkaBacklog backlog,
      long maxPendingBytes, long maxPendingRecords, BridgeMeters meters) {
    this.producer = producer;
    this.health = health;
    this.backlog = backlog;
    this.maxPendingBytes = maxPendingBytes;
    this.maxPendingRecords = maxPendingRecords;
    this.meters = meters;
  }

  /** Whether the node has {@code mqtt.max-pending-bytes} or {@code mqtt.max-pending-records} waiting for Kafka. */
  boolean backlogFull() {
    return backlog.full(maxPendingBytes, maxPendingRecords);
  }

  Future<Void> write(RawTelemetry telemetry) {
    return send(Topics.TELEMETRY_RAW, telemetry.mac(), KafkaCodecs.RAW_TELEMETRY, telemetry);
  }

  Future<Void> write(DeviceEvent event) {
    return send(Topics.EVENTS, Long.toString(event.deviceId()), KafkaCodecs.DEVICE_EVENT, event);
  }

  private <T extends Record> Future<Void> send(String topic, String key, KafkaJsonCodec<T> codec, T value) {
    KafkaProducerRecord<String, Buffer> record = KafkaRecords.of(topic, key, codec, value);
    long started = System.nanoTime();
    long token = health.sending();
    int size = record.value().length() + key.length();
    backlog.sending(size);
    return producer.send(record)
        .andThen(ar -> {
          backlog.done(size);
          health.done(token, ar.cause());
          if (ar.succeeded()) {
            meters.kafkaSent(started);
          }
        })
        .mapEmpty();
  }
}
