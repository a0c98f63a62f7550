package io.gridline.contracts.registry;

/**
 * Redis keys of the registry cache shared by the api (which deletes them on change) and the verticles that read
 * through them ({@code io.gridline.runtime.device.DeviceDirectory}). Values are JSON; each key has a TTL, so a missed
 * deletion heals by itself.
 */
public final class RegistryCacheKeys {
  /** Prefix of {@link #device}: {@code gridline:registry:device:<kind>:<externalId>}. */
  public static final String DEVICE_PREFIX = "gridline:registry:device:";

  private RegistryCacheKeys() {}

  /**
   * A registry device by its kind ({@code mqtt|lorawan|charger|instrument}) and canonical external id, e.g.
   * {@code gridline:registry:device:mqtt:aa:bb:cc:dd:ee:ff}; value
   * {@code {"deviceId","tenantId","kind","externalId","name","metadata"}}.
   */
  public static String device(String kind, String externalId) {
    return DEVICE_PREFIX + kind + ":" + externalId;
  }
}
