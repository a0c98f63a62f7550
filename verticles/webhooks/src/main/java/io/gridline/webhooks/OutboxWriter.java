package io.gridline.webhooks;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.events.DeviceEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Puts events into the outbox: for each event, one {@code webhook_deliveries} row per active subscription of the
 * event's tenant that existed when the event occurred and whose {@code event_types} globs match its type. The glob is
 * matched in SQL: {@code *} becomes {@code %} after escaping LIKE's own {@code \ % _}, so {@code "charging.*"}
 * matches {@code charging.started} and {@code "*"} everything, and an underscore in a type is literal.
 * {@code ON CONFLICT DO NOTHING} on (subscription, event) makes a redelivered event create nothing new.
 */
final class OutboxWriter {
  static final String INSERT = "INSERT INTO webhook_deliveries "
      + "(subscription_id, tenant_id, event_id, event_type, device_id, body, occurred_at) "
      + "SELECT s.id, s.tenant_id, $2, $3, $4, $5, $6 FROM webhook_subscriptions s "
      + "WHERE s.tenant_id = $1 AND s.active AND s.created_at <= $6 "
      + "AND EXISTS (SELECT 1 FROM unnest(s.event_types) AS g(glob) WHERE $3 LIKE "
      + "replace(replace(replace(replace(g.glob, '\\', '\\\\'), '%', '\\%'), '_', '\\_'), '*', '%')) "
      + "ON CONFLICT (subscription_id, event_id) DO NOTHING";

  /** An event ready for the outbox: its identity checked, its body the exact JSON every attempt will send. */
  record OutboxEvent(UUID tenantId, UUID eventId, String type, Integer deviceId, String body, OffsetDateTime occurredAt) {
    static OutboxEvent of(DeviceEvent e) {
      if (e.type() == null || e.type().isBlank()) {
        throw new IllegalArgumentException("event has no type");
      }
      UUID tenant = uuid("tenantId", e.tenantId());
      UUID event = uuid("eventId", e.eventId());
      Integer device = e.deviceId() > 0 && e.deviceId() <= Integer.MAX_VALUE ? (int) e.deviceId() : null;
      String body = KafkaCodecs.DEVICE_EVENT.encode(e).toString();
      return new OutboxEvent(tenant, event, e.type(), device, body,
          OffsetDateTime.ofInstant(Instant.ofEpochMilli(e.occurredAt()), ZoneOffset.UTC));
    }

    private static UUID uuid(String field, String text) {
      if (text == null) {
        throw new IllegalArgumentException("event has no " + field);
      }
      try {
        return UUID.fromString(text);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(field + " is not a UUID: " + text);
      }
    }
  }

  /** @return how many delivery rows were created (the rest matched nothing or existed already) */
  Future<Integer> insert(Pool pool, List<OutboxEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<Tuple> batch = new ArrayList<>(events.size());
    for (OutboxEvent e : events) {
      batch.add(Tuple.of(e.tenantId(), e.eventId(), e.type(), e.deviceId(), e.body(), e.occurredAt()));
    }
    return pool.withTransaction(c -> c.preparedQuery(INSERT).executeBatch(batch).map(rows -> {
      int inserted = 0;
      for (var r = rows; r != null; r = r.next()) {
        inserted += r.rowCount();
      }
      return inserted;
    }));
  }
}
