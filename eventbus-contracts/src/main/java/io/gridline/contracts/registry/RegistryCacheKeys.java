package io.gridline.contracts.registry;

/**
 * Redis keys of the registry cache shared by the api (which deletes them on change) and the verticles that read
 * through them. Values are JSON; each key has a TTL, so a missed deletion heals by itself.
 */
public final class RegistryCacheKeys {
  /** Prefix of {@link #mqttDevice}: {@code gridline:registry:device:mqtt:<mac>}. */
  public static final String MQTT_DEVICE_PREFIX = "gridline:registry:device:mqtt:";

  private RegistryCacheKeys() {}

  /**
   * An MQTT device by its canonical MAC ({@code aa:bb:cc:dd:ee:ff}); value {@code {"deviceId","tenantId","model"}}.
   */
  public static String mqttDevice(String mac) {
    return MQTT_DEVICE_PREFIX + mac;
  }
}
