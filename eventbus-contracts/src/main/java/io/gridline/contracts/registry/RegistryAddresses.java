package io.gridline.contracts.registry;

/** Event-bus addresses of the device registry (published by the api verticle). */
public final class RegistryAddresses {
  /** Published (to every node) after a device was created, updated or deleted; body {@link DeviceChanged}. */
  public static final String DEVICE_CHANGED = "gridline.registry.device.changed";
  /** Published after an API key was revoked; body {@link ApiKeyRevoked}. */
  public static final String API_KEY_REVOKED = "gridline.registry.api-key.revoked";

  private RegistryAddresses() {}
}
