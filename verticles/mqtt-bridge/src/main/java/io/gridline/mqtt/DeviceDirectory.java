package io.gridline.mqtt;

import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryAddresses;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Finds {@code mqtt} devices with their credentials (secret hash, active certificate serials) by MAC. A small
 * in-process cache keeps CONNECT storms off PostgreSQL — unknown MACs are cached too, so a flood of made-up client ids
 * costs one query each per TTL — bounded by {@link #MAX_ENTRIES} (least recently used out). The registry's
 * {@code gridline.registry.device.changed} broadcast drops an entry (the api publishes it on device changes, credential
 * reissues and certificate revocations), and a TTL bounds staleness should that message be lost. A lookup that was
 * under way when a change arrived is answered but not cached, so it cannot put the old credentials back.
 */
final class DeviceDirectory {
  static final long TTL_MS = 30_000;
  static final int MAX_ENTRIES = 50_000;
  private static final String BY_MAC = "SELECT d.id, d.tenant_id::text, c.secret_hash, "
      + "ARRAY(SELECT serial FROM device_certificates k WHERE k.device_id = d.id AND k.revoked_at IS NULL "
      + "AND k.not_after > now()) AS serials FROM devices d "
      + "LEFT JOIN device_credentials c ON c.device_id = d.id WHERE d.kind = 'mqtt' AND d.external_id = $1";

  private record Entry(Optional<MqttDevice> device, long loadedAt) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Map<String, Entry> cache = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };
  /** Bumped by every change broadcast: a lookup that saw it move does not cache its answer. */
  private long changes;
  private MessageConsumer<DeviceChanged> consumer;
  private BiConsumer<String, DeviceChanged.Change> onCredentialsEnded = (mac, change) -> { };

  DeviceDirectory(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  Future<Void> listenForChanges() {
    consumer = vertx.eventBus().<DeviceChanged>consumer(RegistryAddresses.DEVICE_CHANGED, msg -> {
      DeviceChanged c = msg.body();
      if (ExternalIds.MQTT.equals(c.kind())) {
        changes++;
        cache.remove(c.externalId());
        if (c.change() == DeviceChanged.Change.DELETED || c.change() == DeviceChanged.Change.CREDENTIALS) {
          onCredentialsEnded.accept(c.externalId(), c.change());
        }
      }
    });
    return consumer.completion();
  }

  /**
   * Called with the MAC of each mqtt device that was deleted or whose credentials were reissued or revoked: the
   * sessions it opened with them must end.
   */
  void onCredentialsEnded(BiConsumer<String, DeviceChanged.Change> handler) {
    this.onCredentialsEnded = handler;
  }

  Future<Optional<MqttDevice>> byMac(String mac) {
    Entry hit = cache.get(mac);
    long now = System.currentTimeMillis();
    if (hit != null && now - hit.loadedAt() < TTL_MS) {
      return Future.succeededFuture(hit.device());
    }
    long changesBefore = changes;
    return pool.preparedQuery(BY_MAC)
        .execute(Tuple.of(mac))
        .map(rows -> {
          Optional<MqttDevice> device = Optional.empty();
          for (Row r : rows) {
            Object hash = r.getValue(2);
            String[] serials = r.getArrayOfStrings("serials");
            device = Optional.of(new MqttDevice(r.getLong(0), r.getString(1), mac,
                hash == null ? null : r.getBuffer(2).getBytes(), serials == null ? Set.of() : Set.of(serials)));
          }
          if (changes == changesBefore) {
            cache.put(mac, new Entry(device, now));
          }
          return device;
        });
  }

  int size() {
    return cache.size();
  }

  Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
