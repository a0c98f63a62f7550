package io.gridline.api.tenants;

import io.gridline.api.http.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant of the registry: owns API keys and at most {@code maxDevices} devices. */
record Tenant(UUID id, String name, int maxDevices, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
  static final String COLUMNS = "id, name, max_devices, created_at, updated_at";

  static Tenant from(Row row) {
    return new Tenant(row.getUUID("id"), row.getString("name"), row.getInteger("max_devices"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("name", name).put("maxDevices", maxDevices)
        .put("createdAt", Timestamps.format(createdAt)).put("updatedAt", Timestamps.format(updatedAt));
  }
}
