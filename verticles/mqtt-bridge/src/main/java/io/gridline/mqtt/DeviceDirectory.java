package io.gridline.mqtt;

import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryAddresses;
import io.gridline.runtime.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds {@code mqtt} devices and their secret hash by MAC. A small in-process cache keeps CONNECT storms off
 * PostgreSQL; {@code gridline.registry.device.changed} drops an entry (the api publishes it on device changes and
 * credential rotations) and a TTL bounds staleness should that message be lost.
 */
final class DeviceDirectory {
  private static final long TTL_MS = 30_000;
  private static final int MAX_ENTRIES = 50_000;

  private record Entry(Optional<MqttDevice> device, long loadedAt) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Map<String, Entry> cache = new HashMap<>();
  private MessageConsumer<DeviceChanged> changes;
  private Consumer<String> onDeleted = mac -> { };

  DeviceDirectory(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  Future<Void> listenForChanges() {
    changes = vertx.eventBus().<DeviceChanged>consumer(RegistryAddresses.DEVICE_CHANGED, msg -> {
      DeviceChanged c = msg.body();
      if (ExternalIds.MQTT.equals(c.kind())) {
        cache.remove(c.externalId());
        if (c.change() == DeviceChanged.Change.DELETED) {
          onDeleted.accept(c.externalId());
        }
      }
    });
    return changes.completion();
  }

  /** Called with the MAC of each deleted mqtt device (to end its connection). */
  void onDeleted(Consumer<String> handler) {
    this.onDeleted = handler;
  }

  Future<Optional<MqttDevice>> byMac(String mac) {
    Entry hit = cache.get(mac);
    long now = System.currentTimeMillis();
    if (hit != null && now - hit.loadedAt() < TTL_MS) {
      return Future.succeededFuture(hit.device());
    }
    return pool.preparedQuery("SELECT d.id, d.tenant_id::text, c.secret_hash FROM devices d "
            + "LEFT JOIN device_credentials c ON c.device_id = d.id WHERE d.kind = 'mqtt' AND d.external_id = $1")
        .execute(Tuple.of(mac))
        .map(rows -> {
          Optional<MqttDevice> device = Optional.empty();
          for (Row r : rows) {
            Object hash = r.getValue(2);
            device = Optional.of(new MqttDevice(r.getLong(0), r.getString(1), mac,
                hash == null ? null : r.getBuffer(2).getBytes()));
          }
          if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
          }
          cache.put(mac, new Entry(device, now));
          return device;
        });
  }

  Future<Void> close() {
    return changes == null ? Future.succeededFuture() : changes.unregister();
  }
}
