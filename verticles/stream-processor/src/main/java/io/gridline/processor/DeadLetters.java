package io.gridline.processor;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaRecords;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.TelemetryRejected;
import io.gridline.runtime.UntrustedText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where undecodable input goes: Kafka {@code gridline.telemetry.dlq} (for other consumers) and the bounded
 * {@code telemetry_dlq} table (for the tenant's operators via the API), counted by reason
 * ({@code gridline_processor_rejected_total{reason}}). The table keeps the newest rows per tenant, by count here and
 * by age in {@link #pruneOld()}.
 */
final class DeadLetters {
  private static final String INSERT = "INSERT INTO telemetry_dlq (tenant_id, mac, reason, detail, topic, payload, received_at) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
  // rows of the tenant beyond the newest N (the index on (tenant_id, id DESC) finds the cut-off)
  private static final String TRIM_TENANT = "DELETE FROM telemetry_dlq WHERE tenant_id = $1 AND id <= "
      + "(SELECT id FROM telemetry_dlq WHERE tenant_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)";
  private static final String TRIM_UNKNOWN = "DELETE FROM telemetry_dlq WHERE tenant_id IS NULL AND id <= "
      + "(SELECT id FROM telemetry_dlq WHERE tenant_id IS NULL ORDER BY id DESC OFFSET $1 LIMIT 1)";
  private static final String TRIM_OLD = "DELETE FROM telemetry_dlq WHERE created_at < $1";
  static final int MAX_MAC_CHARS = 64;
  static final int MAX_DETAIL_CHARS = 1_000;
  static final int MAX_TOPIC_CHARS = 512;

  private final KafkaProducer<String, Buffer> producer;
  private final Pool pool;
  private final int maxRowsPerTenant;
  private final Duration maxAge;
  private final MeterRegistry meters;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

  DeadLetters(KafkaProducer<String, Buffer> producer, Pool pool, int maxRowsPerTenant, Duration maxAge,
      MeterRegistry meters) {
    this.producer = producer;
    this.pool = pool;
    this.maxRowsPerTenant = maxRowsPerTenant;
    this.maxAge = maxAge;
    this.meters = meters;
  }

  /** Succeeds once Kafka acknowledged the record and the row is written. */
  Future<Void> reject(TelemetryRejected r) {
    counter(r.reason()).increment();
    Future<?> sent = producer.send(KafkaRecords.of(Topics.TELEMETRY_DLQ, r.mac(), KafkaCodecs.TELEMETRY_REJECTED, r));
    Future<?> stored = store(r);
    return Future.all(sent, stored).mapEmpty();
  }

  /**
   * The row keeps the payload's bytes as they came (bytea), and the text columns only what PostgreSQL can store: the
   * MAC, detail and topic quote what the device sent, and a NUL in them made this insert fail on every retry.
   */
  private Future<Void> store(TelemetryRejected r) {
    UUID tenant = r.tenantId() == null ? null : UUID.fromString(r.tenantId());
    OffsetDateTime received = OffsetDateTime.ofInstant(Instant.ofEpochMilli(r.receivedAt()), ZoneOffset.UTC);
    Tuple row = Tuple.of(tenant, UntrustedText.storable(r.mac(), MAX_MAC_CHARS), r.reason(),
        UntrustedText.storable(r.detail() == null ? "" : r.detail(), MAX_DETAIL_CHARS),
        UntrustedText.storable(r.topic() == null ? "" : r.topic(), MAX_TOPIC_CHARS), Buffer.buffer(r.payload()), received);
    return pool.preparedQuery(INSERT).execute(row)
        .compose(v -> tenant == null
            ? pool.preparedQuery(TRIM_UNKNOWN).execute(Tuple.of(maxRowsPerTenant))
            : pool.preparedQuery(TRIM_TENANT).execute(Tuple.of(tenant, maxRowsPerTenant)))
        .mapEmpty();
  }

  /** Deletes rows older than the configured age. */
  Future<Void> pruneOld() {
    OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(maxAge);
    return pool.preparedQuery(TRIM_OLD).execute(Tuple.of(cutoff)).mapEmpty();
  }

  private Counter counter(String reason) {
    return rejected.computeIfAbsent(reason, r -> Counter.builder("gridline.processor.rejected")
        .description("raw telemetry records sent to the DLQ, by reason").tag("reason", r).register(meters));
  }
}
