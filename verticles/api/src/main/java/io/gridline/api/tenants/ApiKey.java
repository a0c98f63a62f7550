package io.gridline.api.tenants;

import io.gridline.api.http.Caller;
import io.gridline.api.http.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

/** A tenant API key as stored: never the token itself, only its hash (kept in the table, not here). */
public record ApiKey(UUID id, UUID tenantId, String name, Caller.Role role, OffsetDateTime createdAt,
    OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {
  static final String COLUMNS = "id, tenant_id, name, role, created_at, last_used_at, revoked_at";

  static ApiKey from(Row row) {
    return new ApiKey(row.getUUID("id"), row.getUUID("tenant_id"), row.getString("name"),
        Caller.Role.valueOf(row.getString("role").toUpperCase(Locale.ROOT)), row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("last_used_at"), row.getOffsetDateTime("revoked_at"));
  }

  static String roleName(Caller.Role role) {
    return role.name().toLowerCase(Locale.ROOT);
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("tenantId", tenantId.toString()).put("name", name)
        .put("role", roleName(role)).put("createdAt", Timestamps.format(createdAt))
        .put("lastUsedAt", Timestamps.format(lastUsedAt));
  }
}
