package io.gridline.sink;

import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One batch on its way from Kafka to {@code decoded_data}: its rows, the Kafka position it covers, and what happened
 * to it so far. Built by {@link BatchCollector}, carried through {@link BatchHandler}'s steps.
 */
final class BatchContext {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** A record of the batch and where its rows are: what {@link RefusedRecords} writes alone or parks. */
  record Span(KafkaConsumerRecord<String, Buffer> record, int firstRow, int rowCount) {}

  /** A record that is not valid DecodedTelemetry: parked, never written. */
  record Malformed(KafkaConsumerRecord<String, Buffer> record, Throwable error) {}

  final long id = SEQUENCE.incrementAndGet();
  final DecodedRows rows;
  /** Per partition, the offset after the batch's last record: what to commit once the rows are durable. */
  final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  final long openedNanos = System.nanoTime();
  int records;
  int malformed;
  /** The batch's valid records with their rows, in order. */
  final List<Span> spans = new ArrayList<>();
  final List<Malformed> malformedRecords = new ArrayList<>();
  /** Rows of the records parked because the database refused them. */
  int parkedRows;
  /** Failed write attempts so far (the database was unreachable or refused). */
  int failedAttempts;
  /** Set by the write step: rows the database took; {@code rows.size() - inserted} were already there. */
  int inserted;
  long writeNanos;
  /** Kafka timestamps (ms) of the batch's records: the latency timer measures record → rows committed. */
  long[] recordTimestamps = new long[64];

  void recordTimestamp(long ms) {
    if (records > recordTimestamps.length) {
      recordTimestamps = java.util.Arrays.copyOf(recordTimestamps, recordTimestamps.length * 2);
    }
    recordTimestamps[records - 1] = ms;
  }

  BatchContext(int expectedRows) {
    rows = new DecodedRows(expectedRows);
  }

  void coverOffset(String topic, int partition, long offset) {
    nextOffsets.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
  }

  /** Rows the primary key dropped (rows of parked records are neither inserted nor duplicates). */
  int duplicates() {
    return rows.size() - inserted - parkedRows;
  }

  boolean hasRows() {
    return !rows.isEmpty();
  }

  @Override
  public String toString() {
    return "batch " + id + " (" + records + " records, " + rows.size() + " rows)";
  }
}
