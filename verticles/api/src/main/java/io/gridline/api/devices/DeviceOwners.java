package io.gridline.api.devices;

import io.gridline.contracts.mqtt.MqttOwnership;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.Optional;

/** Which node holds an MQTT device's connection, as the bridges record it in Redis (docs/architecture.md §3). */
public final class DeviceOwners {
  private final RedisAPI redis;

  public DeviceOwners(RedisAPI redis) {
    this.redis = redis;
  }

  /** The owning node's id, or empty when no node holds the device's connection. */
  Future<Optional<String>> mqttOwner(long deviceId) {
    return redis.get(MqttOwnership.ownerKey(deviceId))
        .map(r -> r == null ? Optional.<String>empty() : Optional.of(r.toString()));
  }
}
