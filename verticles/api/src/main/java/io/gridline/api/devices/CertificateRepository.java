package io.gridline.api.devices;

import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL for {@code device_certificates}: the record of every certificate the device CA issued, which the bridge checks
 * at CONNECT. Scoped by the caller's tenant: another tenant's device or certificate is not found.
 */
public final class CertificateRepository {
  private final Pool pool;

  public CertificateRepository(Pool pool) {
    this.pool = pool;
  }

  /** Records an issued certificate for the device; fails with 404 when the device is gone meanwhile. */
  Future<DeviceCertificate> record(UUID tenantId, long deviceId, String serial, String subject, Instant notAfter) {
    return pool.preparedQuery("INSERT INTO device_certificates (serial, device_id, tenant_id, subject, not_after) "
            + "SELECT $3, id, tenant_id, $4, $5 FROM devices WHERE id = $1 AND tenant_id = $2 RETURNING "
            + DeviceCertificate.COLUMNS)
        .execute(Tuple.of(deviceId, tenantId, serial, subject, OffsetDateTime.ofInstant(notAfter, ZoneOffset.UTC)))
        .compose(rows -> rows.size() == 1
            ? Future.succeededFuture(DeviceCertificate.from(rows.iterator().next()))
            : Future.failedFuture(Problem.notFound("no device " + deviceId)));
  }

  Future<Page.Slice<DeviceCertificate>> list(UUID tenantId, long deviceId, Page page) {
    String where = " FROM device_certificates WHERE device_id = $1 AND tenant_id = $2";
    Future<List<DeviceCertificate>> items = pool.preparedQuery("SELECT " + DeviceCertificate.COLUMNS + where
            + " ORDER BY issued_at, serial LIMIT $3 OFFSET $4")
        .execute(Tuple.of(deviceId, tenantId, page.size(), page.offset()))
        .map(rows -> {
          List<DeviceCertificate> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(DeviceCertificate.from(r)));
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*)" + where).execute(Tuple.of(deviceId, tenantId))
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  /**
   * Revokes one certificate of the device (idempotent: an already revoked one keeps its revocation time).
   *
   * @return the certificate as it now stands; 404 when the device has no certificate with that serial
   */
  Future<DeviceCertificate> revoke(UUID tenantId, long deviceId, String serial) {
    return pool.preparedQuery("UPDATE device_certificates SET revoked_at = coalesce(revoked_at, now()) "
            + "WHERE serial = $3 AND device_id = $1 AND tenant_id = $2 RETURNING " + DeviceCertificate.COLUMNS)
        .execute(Tuple.of(deviceId, tenantId, serial))
        .compose(rows -> rows.size() == 1
            ? Future.succeededFuture(DeviceCertificate.from(rows.iterator().next()))
            : Future.failedFuture(Problem.notFound("device " + deviceId + " has no certificate " + serial)));
  }
}
