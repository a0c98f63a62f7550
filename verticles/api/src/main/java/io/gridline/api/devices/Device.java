package io.gridline.api.devices;

import io.gridline.api.http.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A registry device. {@code status} and {@code lastSeenAt} belong to the protocol verticles; the API only shows them. */
public record Device(long id, UUID tenantId, String kind, String externalId, String name, JsonObject metadata,
    String status, OffsetDateTime lastSeenAt, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
  static final String COLUMNS =
      "id, tenant_id, kind, external_id, name, metadata, status, last_seen_at, created_at, updated_at";

  static Device from(Row row) {
    Object metadata = row.getJson("metadata");
    return new Device(row.getInteger("id"), row.getUUID("tenant_id"), row.getString("kind"),
        row.getString("external_id"), row.getString("name"),
        metadata instanceof JsonObject o ? o : new JsonObject(), row.getString("status"),
        row.getOffsetDateTime("last_seen_at"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("tenantId", tenantId.toString()).put("kind", kind)
        .put("externalId", externalId).put("name", name).put("metadata", metadata).put("status", status)
        .put("lastSeenAt", Timestamps.format(lastSeenAt)).put("createdAt", Timestamps.format(createdAt))
        .put("updatedAt", Timestamps.format(updatedAt));
  }
}
