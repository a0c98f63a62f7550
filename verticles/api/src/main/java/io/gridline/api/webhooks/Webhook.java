package io.gridline.api.webhooks;

import io.gridline.api.http.Timestamps;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A webhook subscription as the API shows it: never its secret, and its custom headers' values only to write keys
 * ({@link #toJson(boolean)}). {@code secretRotatedOverlapUntil} is set while the previous secret still signs alongside
 * the current one (after a rotation), null otherwise. {@code headers} are opened from {@code headers_sealed}, or read
 * from the plaintext {@code headers} of a row written before they were sealed.
 */
record Webhook(UUID id, UUID tenantId, String url, List<String> eventTypes, JsonObject headers, boolean active,
    String statusNote, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime secretRotatedOverlapUntil) {

  /** What a read-only key sees instead of a header's value. */
  static final String REDACTED = "***";
  static final String COLUMNS = "id, tenant_id, url, event_types, headers, headers_sealed, active, status_note, "
      + "created_at, updated_at, "
      + "CASE WHEN previous_secret_until > now() THEN previous_secret_until END AS overlap_until";

  static Webhook from(Row row, WebhookSecrets secrets) {
    UUID id = row.getUUID("id");
    Buffer sealed = row.getBuffer("headers_sealed");
    JsonObject headers = sealed != null ? secrets.openHeaders(id, sealed.getBytes()) : row.getJsonObject("headers");
    return new Webhook(id, row.getUUID("tenant_id"), row.getString("url"),
        Arrays.asList(row.getArrayOfStrings("event_types")), headers, row.getBoolean("active"),
        row.getString("status_note"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"),
        row.getOffsetDateTime("overlap_until"));
  }

  /** For a write key: everything but the secret. */
  JsonObject toJson() {
    return toJson(true);
  }

  /** @param headerValues false for a read-only key: header names with {@link #REDACTED} values */
  JsonObject toJson(boolean headerValues) {
    JsonObject shownHeaders = headers;
    if (!headerValues) {
      shownHeaders = new JsonObject();
      for (String name : headers.fieldNames()) {
        shownHeaders.put(name, REDACTED);
      }
    }
    return new JsonObject().put("id", id.toString()).put("url", url).put("eventTypes", new JsonArray(eventTypes))
        .put("headers", shownHeaders).put("active", active).put("statusNote", statusNote)
        .put("createdAt", Timestamps.format(createdAt)).put("updatedAt", Timestamps.format(updatedAt))
        .put("secretRotatedOverlapUntil", Timestamps.format(secretRotatedOverlapUntil));
  }
}
