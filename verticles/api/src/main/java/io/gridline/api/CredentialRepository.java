package io.gridline.api;

import io.gridline.runtime.Tokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * SQL for {@code device_credentials}: one current secret per device, kept as its SHA-256. Scoped by the caller's
 * tenant: another tenant's device is not found.
 */
final class CredentialRepository {
  private final Pool pool;

  CredentialRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores a new secret for the device, replacing (rotating) any earlier one in the same statement.
   *
   * @return the secret, which is never stored or shown again
   */
  Future<String> issue(UUID tenantId, long deviceId) {
    String secret = Tokens.generate(Tokens.DEVICE_SECRET_PREFIX);
    return pool.preparedQuery("INSERT INTO device_credentials (device_id, secret_hash) "
            + "SELECT id, $3 FROM devices WHERE id = $1 AND tenant_id = $2 "
            + "ON CONFLICT (device_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, rotated_at = now() "
            + "RETURNING device_id")
        .execute(Tuple.of(deviceId, tenantId, Buffer.buffer(Tokens.hash(secret))))
        .compose(rows -> rows.size() == 1
            ? Future.succeededFuture(secret)
            : Future.failedFuture(Problem.notFound("no device " + deviceId)));
  }
}
