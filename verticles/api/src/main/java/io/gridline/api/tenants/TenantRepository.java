package io.gridline.api.tenants;

import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.gridline.api.http.SqlStates;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for {@code tenants}. */
public final class TenantRepository {
  private final Pool pool;

  public TenantRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Tenant> create(TenantInput input) {
    return pool.preparedQuery("INSERT INTO tenants (id, name, max_devices) VALUES ($1, $2, $3) RETURNING " + Tenant.COLUMNS)
        .execute(Tuple.of(UUID.randomUUID(), input.name(), input.maxDevices()))
        .map(rows -> Tenant.from(rows.iterator().next()));
  }

  /** Creates the tenant unless one with that id exists; safe when several nodes run it at once. */
  public Future<Void> ensure(UUID id, String name, int maxDevices) {
    return pool.preparedQuery("INSERT INTO tenants (id, name, max_devices) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
        .execute(Tuple.of(id, name, maxDevices)).mapEmpty();
  }

  Future<Tenant> find(UUID id) {
    return pool.preparedQuery("SELECT " + Tenant.COLUMNS + " FROM tenants WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> single(rows.iterator().hasNext() ? rows.iterator().next() : null, id));
  }

  Future<Page.Slice<Tenant>> list(Page page) {
    Future<List<Tenant>> items = pool
        .preparedQuery("SELECT " + Tenant.COLUMNS + " FROM tenants ORDER BY created_at, id LIMIT $1 OFFSET $2")
        .execute(Tuple.of(page.size(), page.offset()))
        .map(rows -> {
          List<Tenant> out = new ArrayList<>(rows.size());
          rows.forEach(row -> out.add(Tenant.from(row)));
          return out;
        });
    Future<Long> total = pool.query("SELECT count(*) FROM tenants").execute()
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  /**
   * Replaces name and maxDevices. A maxDevices below the current device count is accepted: existing devices stay,
   * and creating more is refused until the tenant is back under its limit.
   */
  Future<Tenant> update(UUID id, TenantInput input) {
    return pool.preparedQuery("UPDATE tenants SET name = $2, max_devices = $3, updated_at = now() WHERE id = $1 RETURNING "
            + Tenant.COLUMNS)
        .execute(Tuple.of(id, input.name(), input.maxDevices()))
        .map(rows -> single(rows.iterator().hasNext() ? rows.iterator().next() : null, id));
  }

  /**
   * Deletes a tenant that has no devices, with its API keys.
   *
   * @return the ids of the keys that were still active, so their revocation can be announced
   */
  Future<List<UUID>> delete(UUID id) {
    return pool.withTransaction(conn -> lock(conn, id)
            .compose(v -> refuseWhileDevices(conn, id))
            .compose(v -> deleteKeys(conn, id))
            .compose(keyIds -> conn.preparedQuery("DELETE FROM tenants WHERE id = $1").execute(Tuple.of(id))
                .map(keyIds)))
        .recover(err -> SqlStates.is(err, SqlStates.FOREIGN_KEY_VIOLATION)
            ? Future.failedFuture(stillHasDevices())
            : Future.failedFuture(err));
  }

  /** Serialises the delete with concurrent device creates, which lock the same row. */
  private Future<Void> lock(SqlConnection conn, UUID id) {
    return conn.preparedQuery("SELECT id FROM tenants WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(id)) : Future.succeededFuture());
  }

  private Future<Void> refuseWhileDevices(SqlConnection conn, UUID id) {
    return conn.preparedQuery("SELECT EXISTS (SELECT 1 FROM devices WHERE tenant_id = $1)").execute(Tuple.of(id))
        .compose(rows -> rows.iterator().next().getBoolean(0)
            ? Future.failedFuture(stillHasDevices())
            : Future.succeededFuture());
  }

  private Future<List<UUID>> deleteKeys(SqlConnection conn, UUID id) {
    return conn.preparedQuery("DELETE FROM api_keys WHERE tenant_id = $1 RETURNING id, revoked_at").execute(Tuple.of(id))
        .map(rows -> {
          List<UUID> active = new ArrayList<>();
          rows.forEach(row -> {
            if (row.getValue("revoked_at") == null) {
              active.add(row.getUUID("id"));
            }
          });
          return active;
        });
  }

  private static Tenant single(Row row, UUID id) {
    if (row == null) {
      throw notFound(id);
    }
    return Tenant.from(row);
  }

  public static Problem notFound(UUID id) {
    return Problem.notFound("no tenant " + id);
  }

  private static Problem stillHasDevices() {
    return Problem.conflict("the tenant still has devices; delete them first");
  }
}
