package io.gridline.mqtt;

import io.gridline.contracts.events.DeviceEvent;
import io.gridline.runtime.device.EventIds;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's {@code status}/{@code last_seen_at} current and announces {@code device.online} /
 * {@code device.offline} on {@code gridline.events}. The event id is a UUIDv5 over the device, the connection's
 * identity and the type, so announcing the same connection twice yields the same id. Traffic only touches
 * {@code last_seen_at} once per {@code mqtt.status-interval-ms} per device.
 */
final class DevicePresence {
  private static final Logger log = LoggerFactory.getLogger(DevicePresence.class);
  private final Pool pool;
  private final TelemetryWriter writer;
  private final long intervalMs;
  private final Map<Long, Long> lastWritten = new HashMap<>();
  /** The device's newest connection on this instance: a taken-over connection's end must not mark it offline. */
  private final Map<Long, String> current = new HashMap<>();

  DevicePresence(Pool pool, TelemetryWriter writer, long intervalMs) {
    this.pool = pool;
    this.writer = writer;
    this.intervalMs = intervalMs;
  }

  Future<Void> online(MqttDevice device, String connectionId, long at) {
    current.put(device.id(), connectionId);
    return announce(device, connectionId, DeviceEvent.Types.DEVICE_ONLINE, "online", at);
  }

  Future<Void> offline(MqttDevice device, String connectionId, long at) {
    if (!current.remove(device.id(), connectionId)) {
      return Future.succeededFuture(); // a newer connection took over: the device is still online
    }
    lastWritten.remove(device.id());
    return announce(device, connectionId, DeviceEvent.Types.DEVICE_OFFLINE, "offline", at);
  }

  /** Throttled {@code last_seen_at} touch on device traffic. */
  void seen(MqttDevice device) {
    long now = System.currentTimeMillis();
    Long last = lastWritten.get(device.id());
    if (last != null && now - last < intervalMs) {
      return;
    }
    lastWritten.put(device.id(), now);
    pool.preparedQuery("UPDATE devices SET last_seen_at = now() WHERE id = $1").execute(Tuple.of(device.id()))
        .onFailure(err -> log.warn("could not update last_seen_at of device {}: {}", device.id(), err.getMessage()));
  }

  private Future<Void> announce(MqttDevice device, String connectionId, String type, String status, long at) {
    lastWritten.put(device.id(), at);
    Future<Void> stored = pool.preparedQuery("UPDATE devices SET status = $2, last_seen_at = now() WHERE id = $1")
        .execute(Tuple.of(device.id(), status)).mapEmpty();
    DeviceEvent event = new DeviceEvent(EventIds.fromDevice(device.id(), connectionId, type).toString(), type,
        device.tenantId(), device.id(), ExternalIds.MQTT, at,
        new JsonObject().put("mac", device.mac()).put("clientId", device.clientId()).put("connectionId", connectionId));
    Future<Void> announced = writer.write(event);
    return Future.all(stored, announced).<Void>mapEmpty()
        .onFailure(err -> log.warn("device {} {}: {}", device.id(), type, err.getMessage()));
  }
}
