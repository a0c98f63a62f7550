package io.gridline.mqtt;

import io.gridline.contracts.mqtt.MqttOwnership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's claim on its connected devices (docs/architecture.md §3): {@code gridline:owner:mqtt:<deviceId>} → {@code
 * node.id} in
 * Redis with a TTL, refreshed every third of it while the device stays connected, and deleted at disconnect only if
 * it still names this node (a device that reconnected elsewhere keeps its new owner). A node that dies leaves entries
 * that lapse within the TTL. Redis failures are logged, never fatal: the device stays connected, commands to it get
 * 409 until the next refresh succeeds.
 */
final class DeviceOwnership {
  private static final Logger log = LoggerFactory.getLogger(DeviceOwnership.class);
  /** Deletes the key only if it still holds this node's id. */
  private static final String RELEASE_IF_OURS =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

  private final Vertx vertx;
  private final RedisAPI redis;
  private final String nodeId;
  private final long ttlMs;
  /** deviceId → the connection that claimed it on this instance (a take-over's old connection must not release). */
  private final Map<Long, String> claimed = new HashMap<>();
  private long timer = -1;

  DeviceOwnership(Vertx vertx, RedisAPI redis, String nodeId, long ttlMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.nodeId = nodeId;
    this.ttlMs = ttlMs;
  }

  static DeviceOwnership create(Vertx vertx, RedisAPI redis, String nodeId) {
    return new DeviceOwnership(vertx, redis, nodeId, MqttOwnership.OWNER_TTL_MS);
  }

  void startRefreshing() {
    timer = vertx.setPeriodic(ttlMs / 3, id -> claimed.keySet().forEach(this::write));
  }

  void stopRefreshing() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  Future<Void> claim(MqttDevice device, String connectionId) {
    claimed.put(device.id(), connectionId);
    return write(device.id());
  }

  Future<Void> release(MqttDevice device, String connectionId) {
    if (!claimed.remove(device.id(), connectionId)) {
      return Future.succeededFuture();
    }
    return redis.eval(List.of(RELEASE_IF_OURS, "1", MqttOwnership.ownerKey(device.id()), nodeId)).<Void>mapEmpty()
        .onFailure(err -> log.warn("device {}: could not release ownership: {}", device.id(), err.getMessage()));
  }

  private Future<Void> write(long deviceId) {
    return redis.set(List.of(MqttOwnership.ownerKey(deviceId), nodeId, "PX", Long.toString(ttlMs))).<Void>mapEmpty()
        .onFailure(err -> log.warn("device {}: could not record ownership: {}", deviceId, err.getMessage()));
  }
}
