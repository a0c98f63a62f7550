package io.gridline.api.devices;

import io.gridline.api.http.Problem;
import io.gridline.runtime.Tokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * SQL for {@code device_credentials}: one current secret per device, kept as its SHA-256; reissuing it also revokes
 * the device's certificates ({@code device_certificates}). Scoped by the caller's tenant: another tenant's device is
 * not found.
 */
public final class CredentialRepository {
  private final Pool pool;

  public CredentialRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Reissues the device's credentials in one statement: stores a new secret, replacing (rotating) any earlier one, and
   * revokes every certificate issued for the device — a reissue is what an operator does when a device's credentials
   * may be known to someone else.
   *
   * @return the secret, which is never stored or shown again
   */
  Future<String> issue(UUID tenantId, long deviceId) {
    String secret = Tokens.generate(Tokens.DEVICE_SECRET_PREFIX);
    return pool.preparedQuery("WITH device AS (SELECT id FROM devices WHERE id = $1 AND tenant_id = $2), "
            + "revoked AS (UPDATE device_certificates SET revoked_at = now() "
            + "WHERE device_id IN (SELECT id FROM device) AND revoked_at IS NULL) "
            + "INSERT INTO device_credentials (device_id, secret_hash) SELECT id, $3 FROM device "
            + "ON CONFLICT (device_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, rotated_at = now() "
            + "RETURNING device_id")
        .execute(Tuple.of(deviceId, tenantId, Buffer.buffer(Tokens.hash(secret))))
        .compose(rows -> rows.size() == 1
            ? Future.succeededFuture(secret)
            : Future.failedFuture(Problem.notFound("no device " + deviceId)));
  }
}
