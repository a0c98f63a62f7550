package io.gridline.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A webhook subscription as the API shows it: never its secret. {@code secretRotatedOverlapUntil} is set while the
 * previous secret still signs alongside the current one (after a rotation), null otherwise.
 */
record Webhook(UUID id, UUID tenantId, String url, List<String> eventTypes, JsonObject headers, boolean active,
    String statusNote, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime secretRotatedOverlapUntil) {

  static final String COLUMNS = "id, tenant_id, url, event_types, headers, active, status_note, created_at, updated_at, "
      + "CASE WHEN previous_secret_until > now() THEN previous_secret_until END AS overlap_until";

  static Webhook from(Row row) {
    return new Webhook(row.getUUID("id"), row.getUUID("tenant_id"), row.getString("url"),
        Arrays.asList(row.getArrayOfStrings("event_types")), row.getJsonObject("headers"), row.getBoolean("active"),
        row.getString("status_note"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"),
        row.getOffsetDateTime("overlap_until"));
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("url", url).put("eventTypes", new JsonArray(eventTypes))
        .put("headers", headers).put("active", active).put("statusNote", statusNote)
        .put("createdAt", Timestamps.format(createdAt)).put("updatedAt", Timestamps.format(updatedAt))
        .put("secretRotatedOverlapUntil", Timestamps.format(secretRotatedOverlapUntil));
  }
}
