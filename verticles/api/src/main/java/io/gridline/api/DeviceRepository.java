package io.gridline.api;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for {@code devices}. Every statement is scoped by the caller's tenant: another tenant's device is not found. */
final class DeviceRepository {
  private static final String TENANT_FILTER = "tenant_id = $1 AND ($2::text IS NULL OR kind = $2)";
  private final Pool pool;

  DeviceRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts the device unless the tenant is at its limit. The tenant row is locked for the transaction, so concurrent
   * creates for one tenant count and insert one after the other and never overshoot {@code max_devices}.
   */
  Future<Device> create(UUID tenantId, DeviceInput input) {
    return pool.withTransaction(conn -> lockTenant(conn, tenantId)
            .compose(maxDevices -> refuseAtLimit(conn, tenantId, maxDevices))
            .compose(v -> insert(conn, tenantId, input)))
        .recover(err -> SqlStates.is(err, SqlStates.UNIQUE_VIOLATION)
            ? Future.failedFuture(Problem.conflict("a " + input.kind() + " device with externalId " + input.externalId()
                + " is already registered"))
            : Future.failedFuture(err));
  }

  /**
   * Creates the device unless one with that kind and externalId exists (in any tenant); safe when several nodes run
   * it at once. Does not check the tenant's limit: for fixtures only.
   *
   * @return the device when this call created it
   */
  Future<Optional<Device>> ensure(UUID tenantId, DeviceInput input) {
    return pool.preparedQuery("INSERT INTO devices (tenant_id, kind, external_id, name, metadata) "
            + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, external_id) DO NOTHING RETURNING " + Device.COLUMNS)
        .execute(Tuple.of(tenantId, input.kind(), input.externalId(), input.name(), input.metadata()))
        .map(DeviceRepository::first);
  }

  Future<Device> find(UUID tenantId, long id) {
    return pool.preparedQuery("SELECT " + Device.COLUMNS + " FROM devices WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId))
        .compose(rows -> found(rows, id));
  }

  /** @param kind only devices of this kind, or all when null */
  Future<Page.Slice<Device>> list(UUID tenantId, String kind, Page page) {
    Future<List<Device>> items = pool.preparedQuery("SELECT " + Device.COLUMNS + " FROM devices WHERE " + TENANT_FILTER
            + " ORDER BY id LIMIT $3 OFFSET $4")
        .execute(Tuple.of(tenantId, kind, page.size(), page.offset()))
        .map(rows -> {
          List<Device> out = new ArrayList<>(rows.size());
          rows.forEach(row -> out.add(Device.from(row)));
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM devices WHERE " + TENANT_FILTER)
        .execute(Tuple.of(tenantId, kind)).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  /** Replaces name and metadata; kind and externalId never change (a device names itself on the wire). */
  Future<Device> update(UUID tenantId, long id, DeviceInput input) {
    return pool.preparedQuery("UPDATE devices SET name = $3, metadata = $4, updated_at = now() "
            + "WHERE id = $1 AND tenant_id = $2 RETURNING " + Device.COLUMNS)
        .execute(Tuple.of(id, tenantId, input.name(), input.metadata()))
        .compose(rows -> found(rows, id));
  }

  Future<Device> delete(UUID tenantId, long id) {
    return pool.preparedQuery("DELETE FROM devices WHERE id = $1 AND tenant_id = $2 RETURNING " + Device.COLUMNS)
        .execute(Tuple.of(id, tenantId))
        .compose(rows -> found(rows, id));
  }

  private Future<Integer> lockTenant(SqlConnection conn, UUID tenantId) {
    return conn.preparedQuery("SELECT max_devices FROM tenants WHERE id = $1 FOR UPDATE").execute(Tuple.of(tenantId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(TenantRepository.notFound(tenantId))
            : Future.succeededFuture(rows.iterator().next().getInteger(0)));
  }

  private Future<Void> refuseAtLimit(SqlConnection conn, UUID tenantId, int maxDevices) {
    return conn.preparedQuery("SELECT count(*) FROM devices WHERE tenant_id = $1").execute(Tuple.of(tenantId))
        .compose(rows -> rows.iterator().next().getLong(0) >= maxDevices
            ? Future.failedFuture(Problem.limitReached("the tenant already has its maximum of " + maxDevices + " devices"))
            : Future.succeededFuture());
  }

  private Future<Device> insert(SqlConnection conn, UUID tenantId, DeviceInput input) {
    return conn.preparedQuery("INSERT INTO devices (tenant_id, kind, external_id, name, metadata) "
            + "VALUES ($1, $2, $3, $4, $5) RETURNING " + Device.COLUMNS)
        .execute(Tuple.of(tenantId, input.kind(), input.externalId(), input.name(), input.metadata()))
        .map(rows -> Device.from(rows.iterator().next()));
  }

  private static Future<Device> found(RowSet<Row> rows, long id) {
    return rows.size() == 0
        ? Future.failedFuture(Problem.notFound("no device " + id))
        : Future.succeededFuture(Device.from(rows.iterator().next()));
  }

  private static Optional<Device> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Device.from(rows.iterator().next()));
  }
}
