package io.gridline.api.telemetry;

import io.gridline.api.http.Page;
import io.gridline.api.http.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * SQL for {@code telemetry_dlq}, which the stream-processor writes and the api only reads. Scoped by the caller's
 * tenant. A row leaves as its JSON item directly: nothing else reads it, so it has no record of its own.
 */
public final class TelemetryDlqRepository {
  private final Pool pool;

  public TelemetryDlqRepository(Pool pool) {
    this.pool = pool;
  }

  /** The tenant's dead letters, newest first. */
  Future<Page.Slice<JsonObject>> list(UUID tenantId, Page page) {
    Future<List<JsonObject>> items = pool.preparedQuery("SELECT id, mac, reason, detail, topic, payload, received_at, "
            + "created_at FROM telemetry_dlq WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3")
        .execute(Tuple.of(tenantId, page.size(), page.offset()))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(r -> out.add(toJson(r)));
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM telemetry_dlq WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId)).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  private static JsonObject toJson(Row r) {
    return new JsonObject().put("id", r.getLong("id")).put("mac", r.getString("mac")).put("reason", r.getString("reason"))
        .put("detail", r.getString("detail")).put("topic", r.getString("topic"))
        .put("payload", Base64.getEncoder().encodeToString(r.getBuffer("payload").getBytes()))
        .put("receivedAt", Timestamps.format(r.getOffsetDateTime("received_at")))
        .put("createdAt", Timestamps.format(r.getOffsetDateTime("created_at")));
  }
}
