package io.gridline.api.devices;

import io.gridline.contracts.registry.ApiKeyRevoked;
import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryAddresses;
import io.vertx.core.eventbus.EventBus;
import java.util.UUID;

/**
 * Tells every node about registry changes, after they are committed. Published, not sent: each node keeps its own
 * caches and must drop the entry.
 */
public final class RegistryEvents {
  private final EventBus bus;
  private final RegistryCache cache;

  public RegistryEvents(EventBus bus, RegistryCache cache) {
    this.bus = bus;
    this.cache = cache;
  }

  /** Evicts the device's Redis entry first, so a node reacting to the broadcast cannot re-read the stale one. */
  public void deviceChanged(Device device, DeviceChanged.Change change) {
    cache.evict(device).onComplete(ar -> bus.publish(RegistryAddresses.DEVICE_CHANGED,
        new DeviceChanged(device.id(), device.tenantId().toString(), device.kind(), device.externalId(), change)));
  }

  public void apiKeyRevoked(UUID keyId, UUID tenantId) {
    bus.publish(RegistryAddresses.API_KEY_REVOKED, new ApiKeyRevoked(keyId.toString(), tenantId.toString()));
  }
}
