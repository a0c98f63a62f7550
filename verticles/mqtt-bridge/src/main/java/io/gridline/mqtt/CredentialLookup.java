package io.gridline.mqtt;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/**
 * Reads a device's credentials by registry id, at every CONNECT and never cached: a reissued secret or a revoked
 * certificate stops working from the next CONNECT on every node, whatever a cache still holds. (The registry data comes
 * from the shared {@code DeviceDirectory}, which holds no credentials.)
 */
final class CredentialLookup {
  private static final String BY_DEVICE = "SELECT (SELECT secret_hash FROM device_credentials WHERE device_id = $1) "
      + "AS secret_hash, ARRAY(SELECT serial FROM device_certificates WHERE device_id = $1 AND revoked_at IS NULL "
      + "AND not_after > now()) AS serials";

  private final Pool pool;

  CredentialLookup(Pool pool) {
    this.pool = pool;
  }

  Future<DeviceCredentials> of(long deviceId) {
    return pool.preparedQuery(BY_DEVICE).execute(Tuple.of(deviceId)).map(rows -> {
      Row r = rows.iterator().next();
      String[] serials = r.getArrayOfStrings("serials");
      return new DeviceCredentials(r.getValue("secret_hash") == null ? null : r.getBuffer("secret_hash").getBytes(),
          serials == null ? Set.of() : Set.of(serials));
    });
  }
}
