package io.gridline.api;

import io.gridline.contracts.registry.ApiKeyRevoked;
import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryAddresses;
import io.vertx.core.eventbus.EventBus;
import java.util.UUID;

/**
 * Tells every node about registry changes, after they are committed. Published, not sent: each node keeps its own
 * caches and must drop the entry.
 */
final class RegistryEvents {
  private final EventBus bus;

  RegistryEvents(EventBus bus) {
    this.bus = bus;
  }

  void deviceChanged(Device device, DeviceChanged.Change change) {
    bus.publish(RegistryAddresses.DEVICE_CHANGED,
        new DeviceChanged(device.id(), device.tenantId().toString(), device.kind(), device.externalId(), change));
  }

  void apiKeyRevoked(UUID keyId, UUID tenantId) {
    bus.publish(RegistryAddresses.API_KEY_REVOKED, new ApiKeyRevoked(keyId.toString(), tenantId.toString()));
  }
}
