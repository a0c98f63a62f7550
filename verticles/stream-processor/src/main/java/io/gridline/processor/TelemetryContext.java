package io.gridline.processor;

import io.gridline.runtime.telemetry.SensorField;
import io.gridline.runtime.telemetry.PayloadDecoder;
import io.gridline.runtime.telemetry.SensorModelCatalog;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.gridline.runtime.device.RegisteredDevice;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.List;

/** One raw record on its way through {@link TelemetryHandler}: each step fills in what the next one needs. */
final class TelemetryContext {
  final KafkaConsumerRecord<String, Buffer> record;
  final long now;
  RawTelemetry raw;
  TelemetryTopic topic;
  TelemetryPayload payload;
  RegisteredDevice device;
  /** The device's controller model ({@link SensorModelCatalog#modelOf}). */
  String model;
  List<SensorField> fields;
  List<PayloadDecoder.Reading> readings;
  DecodedTelemetry decoded;
  /** Completes when the record's outputs are durable (Kafka acknowledged; DLQ row written). */
  Future<Void> acked;

  TelemetryContext(KafkaConsumerRecord<String, Buffer> record, long now) {
    this.record = record;
    this.now = now;
  }

  String mac() {
    return topic != null ? topic.mac() : raw != null ? raw.mac() : record.key();
  }

  String where() {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
