package io.gridline.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device connections of this node, across the bridge's instances: a command arriving on any instance's consumer
 * of the node address finds the connection here and runs on the connection's own event loop.
 */
final class LiveConnections implements Shareable {
  record Entry(DeviceConnection connection, Context context) {}

  private final ConcurrentHashMap<Long, Entry> byDevice = new ConcurrentHashMap<>();

  static LiveConnections of(Vertx vertx) {
    return vertx.sharedData().<String, LiveConnections>getLocalMap("gridline.mqtt.live")
        .computeIfAbsent("connections", k -> new LiveConnections());
  }

  Entry add(long deviceId, DeviceConnection connection, Context context) {
    Entry entry = new Entry(connection, context);
    byDevice.put(deviceId, entry);
    return entry;
  }

  void remove(long deviceId, Entry entry) {
    byDevice.remove(deviceId, entry);
  }

  Entry find(long deviceId) {
    return byDevice.get(deviceId);
  }
}
