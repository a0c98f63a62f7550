package io.gridline.runtime.telemetry;

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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where undecodable input goes: Kafka {@code gridline.telemetry.dlq} (for other consumers) and the bounded
 * {@code telemetry_dlq} table (for the tenant's operators via the API), counted by reason
 * ({@code gridline_processor_rejected_total{reason}} for the stream-processor). The table keeps the newest rows per tenant, by count in
 * {@link #trimTenants()} (every second) and by age in {@link #pruneOld()}.
 */
public final class DeadLetters {
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
  private final DeadLetterRows rows;
  private final int maxRowsPerTenant;
  private final Duration maxAge;
  private final MeterRegistry meters;
  private final String meterName;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  /** Stands for the rows without a tenant (unknown devices) in {@link #untrimmed}. */
  private static final UUID NO_TENANT = new UUID(0, 0);
  /** Tenants that received rows since the last {@link #trimTenants()}. */
  private final Set<UUID> untrimmed = new HashSet<>();

  /**
   * @param meterName the counter of dead letters by reason ({@code gridline.processor.rejected},
   *                  {@code gridline.lorawan.rejected}): each verticle that rejects telemetry counts its own
   */
  public DeadLetters(KafkaProducer<String, Buffer> producer, Pool pool, DeadLetterRows rows, int maxRowsPerTenant,
      Duration maxAge, MeterRegistry meters, String meterName) {
    this.meterName = meterName;
    this.producer = producer;
    this.pool = pool;
    this.rows = rows;
    this.maxRowsPerTenant = maxRowsPerTenant;
    this.maxAge = maxAge;
    this.meters = meters;
  }

  /** Succeeds once Kafka acknowledged the record and the row is written. */
  public Future<Void> reject(TelemetryRejected r) {
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
    return rows.add(tenant, UntrustedText.storable(r.mac(), MAX_MAC_CHARS), r.reason(),
            UntrustedText.storable(r.detail() == null ? "" : r.detail(), MAX_DETAIL_CHARS),
            UntrustedText.storable(r.topic() == null ? "" : r.topic(), MAX_TOPIC_CHARS), Buffer.buffer(r.payload()),
            received)
        .onSuccess(v -> untrimmed.add(tenant == null ? NO_TENANT : tenant));
  }

  /**
   * Cuts each tenant that received dead letters since the last call back to its newest rows. Once a second rather than
   * after every insert: the cut scans past the rows it keeps, and a device flooding the DLQ made every one of its
   * inserts pay that scan (the processor fell to a few hundred records a second). Between two cuts a tenant may hold
   * one second's rows more than the bound.
   */
  public Future<Void> trimTenants() {
    if (untrimmed.isEmpty()) {
      return Future.succeededFuture();
    }
    List<UUID> tenants = new ArrayList<>(untrimmed);
    untrimmed.clear();
    List<Future<?>> cuts = new ArrayList<>(tenants.size());
    for (UUID tenant : tenants) {
      cuts.add(tenant == NO_TENANT
          ? pool.preparedQuery(TRIM_UNKNOWN).execute(Tuple.of(maxRowsPerTenant))
          : pool.preparedQuery(TRIM_TENANT).execute(Tuple.of(tenant, maxRowsPerTenant)));
    }
    return Future.join(cuts).mapEmpty();
  }

  /** Deletes rows older than the configured age. */
  public Future<Void> pruneOld() {
    OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(maxAge);
    return pool.preparedQuery(TRIM_OLD).execute(Tuple.of(cutoff)).mapEmpty();
  }

  private Counter counter(String reason) {
    return rejected.computeIfAbsent(reason, r -> Counter.builder(meterName)
        .description("telemetry sent to the DLQ, by reason").tag("reason", r).register(meters));
  }
}
