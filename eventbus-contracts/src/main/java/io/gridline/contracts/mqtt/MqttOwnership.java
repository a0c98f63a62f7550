package io.gridline.contracts.mqtt;

/**
 * Which node holds an MQTT device's live connection (docs/architecture.md §3): the bridge keeps {@link #ownerKey} → its
 * node id in
 * Redis with a TTL of {@link #OWNER_TTL_MS}, refreshed while connected and deleted at disconnect only if still its
 * own; the api reads it and sends {@link DeviceCommand}s to {@code NodeAddresses.nodeAddress(nodeId, VERTICLE)}.
 */
public final class MqttOwnership {
  /** The verticle name in the owner's node address. */
  public static final String VERTICLE = "mqtt-bridge";
  /** Prefix of {@link #ownerKey}. */
  public static final String OWNER_PREFIX = "gridline:owner:mqtt:";
  /** TTL of an owner entry; the bridge refreshes it every third of that, so a dead node's entries lapse within it. */
  public static final long OWNER_TTL_MS = 60_000;

  private MqttOwnership() {}

  /** {@code gridline:owner:mqtt:<deviceId>} → the owning node's {@code node.id}. */
  public static String ownerKey(long deviceId) {
    return OWNER_PREFIX + deviceId;
  }
}
