package io.gridline.sink;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.runtime.UntrustedText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one {@code gridline.telemetry.decoded} record into rows of a batch. A malformed record is logged with its
 * position, counted and kept aside to be parked ({@code gridline.telemetry.parked}, reason {@code malformed}): its
 * offset is still covered by the batch, so it is committed past once parked and never blocks the stream.
 */
final class DecodedRecordReader {
  private static final Logger log = LoggerFactory.getLogger(DecodedRecordReader.class);
  private final Counter malformed;

  DecodedRecordReader(MeterRegistry meters) {
    malformed = Counter.builder("gridline.sink.malformed")
        .description("gridline.telemetry.decoded records skipped because they are not valid DecodedTelemetry")
        .register(meters);
  }

  void readInto(KafkaConsumerRecord<String, Buffer> record, BatchContext batch) {
    batch.records++;
    batch.recordTimestamp(record.timestamp());
    batch.coverOffset(record.topic(), record.partition(), record.offset());
    DecodedTelemetry telemetry;
    try {
      telemetry = decode(record.value());
    } catch (RuntimeException e) {
      batch.malformed++;
      batch.malformedRecords.add(new BatchContext.Malformed(record, e));
      malformed.increment();
      log.warn("malformed record {}-{}@{} (key {}), parking it: {}", record.topic(), record.partition(),
          record.offset(), UntrustedText.forLog(record.key()), UntrustedText.forLog(e.getMessage()));
      return;
    }
    int deviceId = (int) telemetry.deviceId();
    int first = batch.rows.size();
    for (DecodedTelemetry.Value v : telemetry.values()) {
      batch.rows.add(telemetry.timestamp(), deviceId, v.datapointId(), v.value());
    }
    batch.spans.add(new BatchContext.Span(record, first, batch.rows.size() - first));
  }

  private static DecodedTelemetry decode(Buffer value) {
    if (value == null) {
      throw new IllegalArgumentException("no value");
    }
    DecodedTelemetry t = KafkaCodecs.DECODED_TELEMETRY.decode(value);
    if (t.deviceId() <= 0 || t.deviceId() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("deviceId " + t.deviceId() + " is not a registry device id");
    }
    for (DecodedTelemetry.Value v : t.values()) {
      if (v.datapointId() <= 0 || !Double.isFinite(v.value())) {
        throw new IllegalArgumentException("bad value " + v);
      }
    }
    return t;
  }
}
