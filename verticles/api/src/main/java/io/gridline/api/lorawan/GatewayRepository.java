package io.gridline.api.lorawan;

import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.gridline.api.http.SqlStates;
import io.gridline.api.http.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The SQL of {@code lorawan_gateways}, scoped by tenant. */
public final class GatewayRepository {
  private static final String COLUMNS = "gateway_id, name, region, last_seen_at, stats, created_at, updated_at";
  private final Pool pool;

  public GatewayRepository(Pool pool) {
    this.pool = pool;
  }

  /** A gateway as the api shows it. */
  static JsonObject toJson(Row r) {
    Object stats = r.getJson("stats");
    return new JsonObject().put("gatewayId", r.getString("gateway_id")).put("name", r.getString("name"))
        .put("region", r.getString("region")).put("lastSeenAt", Timestamps.format(r.getOffsetDateTime("last_seen_at")))
        .put("stats", stats instanceof JsonObject o ? o : new JsonObject())
        .put("createdAt", Timestamps.format(r.getOffsetDateTime("created_at")))
        .put("updatedAt", Timestamps.format(r.getOffsetDateTime("updated_at")));
  }

  Future<JsonObject> create(UUID tenantId, String gatewayId, String name, String region) {
    return pool.preparedQuery("INSERT INTO lorawan_gateways (gateway_id, tenant_id, name, region) VALUES ($1, $2, $3, $4) "
            + "RETURNING " + COLUMNS)
        .execute(Tuple.of(gatewayId, tenantId, name, region))
        .map(rows -> toJson(rows.iterator().next()))
        .recover(err -> Future.failedFuture(SqlStates.is(err, SqlStates.UNIQUE_VIOLATION)
            ? Problem.conflict("gateway " + gatewayId + " is already registered") : err));
  }

  Future<Page.Slice<JsonObject>> list(UUID tenantId, Page page) {
    Future<List<JsonObject>> items = pool.preparedQuery("SELECT " + COLUMNS + " FROM lorawan_gateways "
            + "WHERE tenant_id = $1 ORDER BY gateway_id LIMIT $2 OFFSET $3")
        .execute(Tuple.of(tenantId, page.size(), page.offset()))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(r -> out.add(toJson(r)));
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM lorawan_gateways WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId)).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  Future<JsonObject> find(UUID tenantId, String gatewayId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM lorawan_gateways WHERE gateway_id = $1 AND tenant_id = $2")
        .execute(Tuple.of(gatewayId, tenantId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(Problem.notFound("no gateway " + gatewayId))
            : Future.succeededFuture(toJson(rows.iterator().next())));
  }

  Future<Void> delete(UUID tenantId, String gatewayId) {
    return pool.preparedQuery("DELETE FROM lorawan_gateways WHERE gateway_id = $1 AND tenant_id = $2")
        .execute(Tuple.of(gatewayId, tenantId))
        .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(Problem.notFound("no gateway " + gatewayId))
            : Future.succeededFuture());
  }
}
