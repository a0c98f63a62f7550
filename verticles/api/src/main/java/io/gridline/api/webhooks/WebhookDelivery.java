package io.gridline.api.webhooks;

import io.gridline.api.http.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A {@code webhook_deliveries} row as the API shows it ({@code deliveryId} is the row id); never its body. */
record WebhookDelivery(long deliveryId, UUID eventId, String eventType, String status, int attempts,
    Integer lastStatusCode, String lastError, OffsetDateTime nextAttemptAt, OffsetDateTime occurredAt,
    OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime succeededAt) {

  static final List<String> STATUSES = List.of("pending", "retrying", "succeeded", "dead");
  static final String COLUMNS = "id, event_id, event_type, status, attempts, last_status_code, last_error, "
      + "next_attempt_at, occurred_at, created_at, updated_at, succeeded_at";

  static WebhookDelivery from(Row row) {
    return new WebhookDelivery(row.getLong("id"), row.getUUID("event_id"), row.getString("event_type"),
        row.getString("status"), row.getInteger("attempts"), row.getInteger("last_status_code"),
        row.getString("last_error"), row.getOffsetDateTime("next_attempt_at"), row.getOffsetDateTime("occurred_at"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"), row.getOffsetDateTime("succeeded_at"));
  }

  JsonObject toJson() {
    return new JsonObject().put("deliveryId", deliveryId).put("eventId", eventId.toString())
        .put("eventType", eventType).put("status", status).put("attempts", attempts)
        .put("lastStatusCode", lastStatusCode).put("lastError", lastError)
        .put("nextAttemptAt", Timestamps.format(nextAttemptAt)).put("occurredAt", Timestamps.format(occurredAt))
        .put("createdAt", Timestamps.format(createdAt)).put("updatedAt", Timestamps.format(updatedAt))
        .put("succeededAt", Timestamps.format(succeededAt));
  }
}
