package io.gridline.api.devices;

import io.gridline.contracts.registry.RegistryCacheKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis entries other verticles cache registry devices under ({@link RegistryCacheKeys}). The api deletes a
 * device's entry itself after a change, so a lost {@code DEVICE_CHANGED} broadcast cannot keep stale data in Redis
 * until its TTL.
 */
public final class RegistryCache {
  private static final Logger log = LoggerFactory.getLogger(RegistryCache.class);
  private final RedisAPI redis;

  public RegistryCache(RedisAPI redis) {
    this.redis = redis;
  }

  /**
   * Deletes the device's cached entry, whatever its kind; never fails (the TTL bounds what a Redis outage leaves
   * behind).
   */
  Future<Void> evict(Device device) {
    return redis.del(List.of(RegistryCacheKeys.device(device.kind(), device.externalId())))
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("could not evict cached device {} from Redis: {}", device.id(), err.getMessage());
          return Future.succeededFuture();
        });
  }
}
