package io.gridline.runtime.command;

import io.gridline.contracts.commands.CommandStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code commands}: one command to one device, in the lifecycle every device kind shares. */
public record Command(UUID id, UUID tenantId, long deviceId, String deviceKind, String type, JsonObject payload,
    int priority, CommandStatus status, int attempts, JsonObject result, String error, OffsetDateTime createdAt,
    OffsetDateTime sentAt, OffsetDateTime finishedAt) {

  static final String COLUMNS = "id, tenant_id, device_id, device_kind, type, payload, priority, status, attempts, "
      + "result, error, created_at, sent_at, finished_at";

  static Command from(Row r) {
    Object payload = r.getJson("payload");
    Object result = r.getJson("result");
    return new Command(r.getUUID("id"), r.getUUID("tenant_id"), r.getInteger("device_id"), r.getString("device_kind"),
        r.getString("type"), payload instanceof JsonObject p ? p : new JsonObject(), r.getInteger("priority"),
        CommandStatus.ofWire(r.getString("status")), r.getInteger("attempts"),
        result instanceof JsonObject o ? o : null, r.getString("error"), r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("sent_at"), r.getOffsetDateTime("finished_at"));
  }
}
