package io.gridline.api.telemetry;

import static io.vertx.core.http.HttpMethod.GET;

import io.gridline.api.http.Access;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.Respond;
import io.gridline.api.http.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** {@code GET /api/v1/telemetry/dlq}: the caller's tenant's undecodable telemetry, newest first (read key). */
public final class TelemetryDlqRoutes {
  private final Pool pool;

  public TelemetryDlqRoutes(Pool pool) {
    this.pool = pool;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(GET, "/api/v1/telemetry/dlq", Access.TENANT_READ, this::list);
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Page.of(ctx)
        .compose(page -> slice(caller, page).map(slice -> page.envelope(slice, json -> json)))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private Future<Page.Slice<JsonObject>> slice(Caller caller, Page page) {
    Future<List<JsonObject>> items = pool.preparedQuery("SELECT id, mac, reason, detail, topic, payload, received_at, "
            + "created_at FROM telemetry_dlq WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3")
        .execute(Tuple.of(caller.tenantId(), page.size(), page.offset()))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(r -> out.add(toJson(r)));
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM telemetry_dlq WHERE tenant_id = $1")
        .execute(Tuple.of(caller.tenantId())).map(rows -> rows.iterator().next().getLong(0));
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
