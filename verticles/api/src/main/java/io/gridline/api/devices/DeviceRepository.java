package io.gridline.api.devices;

import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.gridline.api.http.SqlStates;
import io.gridline.api.tenants.TenantRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for {@code devices}. Every statement is scoped by the caller's tenant: another tenant's device is not found. */
public final class DeviceRepository {
  private static final String TENANT_FILTER = "tenant_id = $1 AND ($2::text IS NULL OR kind = $2)";
  private final Pool pool;

  public DeviceRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts the device unless the tenant is at its limit. One statement: the database's device-count trigger (V2)
   * locks the tenant row and refuses the insert past {@code max_devices}, so concurrent creates never overshoot.
   */
  Future<Device> create(UUID tenantId, DeviceInput input) {
    return create(pool, tenantId, input);
  }

  /** As {@link #create(UUID, DeviceInput)}, through {@code client} (a transaction that adds the kind's own row). */
  public Future<Device> create(SqlClient client, UUID tenantId, DeviceInput input) {
    return client.preparedQuery("INSERT INTO devices (tenant_id, kind, external_id, name, metadata) "
            + "VALUES ($1, $2, $3, $4, $5) RETURNING " + Device.COLUMNS)
        .execute(Tuple.of(tenantId, input.kind(), input.externalId(), input.name(), input.metadata()))
        .map(rows -> Device.from(rows.iterator().next()))
        .recover(err -> Future.failedFuture(createProblem(err, tenantId, input)));
  }

  private static Throwable createProblem(Throwable err, UUID tenantId, DeviceInput input) {
    if (SqlStates.is(err, SqlStates.UNIQUE_VIOLATION)) {
      return Problem.conflict("a " + input.kind() + " device with externalId " + input.externalId()
          + " is already registered");
    }
    if (SqlStates.is(err, SqlStates.DEVICE_LIMIT)) {
      return Problem.limitReached("the tenant already has its maximum of devices");
    }
    if (SqlStates.is(err, SqlStates.FOREIGN_KEY_VIOLATION)) {
      return TenantRepository.notFound(tenantId);
    }
    return err;
  }

  /**
   * Creates the device unless one with that kind and externalId exists (in any tenant); safe when several nodes run
   * it at once. The tenant's limit applies as to every insert.
   *
   * @return the device when this call created it
   */
  public Future<Optional<Device>> ensure(UUID tenantId, DeviceInput input) {
    return pool.preparedQuery("INSERT INTO devices (tenant_id, kind, external_id, name, metadata) "
            + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, external_id) DO NOTHING RETURNING " + Device.COLUMNS)
        .execute(Tuple.of(tenantId, input.kind(), input.externalId(), input.name(), input.metadata()))
        .map(DeviceRepository::first);
  }

  public Future<Device> find(UUID tenantId, long id) {
    return pool.preparedQuery("SELECT " + Device.COLUMNS + " FROM devices WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId))
        .compose(rows -> found(rows, id));
  }

  /** The tenant's device of this kind and canonical external id, if it has one. */
  public Future<Optional<Device>> findByExternalId(UUID tenantId, String kind, String externalId) {
    return pool.preparedQuery("SELECT " + Device.COLUMNS + " FROM devices WHERE kind = $1 AND external_id = $2 "
            + "AND tenant_id = $3")
        .execute(Tuple.of(kind, externalId, tenantId))
        .map(DeviceRepository::first);
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

  public Future<Device> delete(UUID tenantId, long id) {
    return pool.preparedQuery("DELETE FROM devices WHERE id = $1 AND tenant_id = $2 RETURNING " + Device.COLUMNS)
        .execute(Tuple.of(id, tenantId))
        .compose(rows -> found(rows, id));
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
