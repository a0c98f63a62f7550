package io.gridline.contracts.lorawan;

/** Event-bus names of the LoRaWAN network server. */
public final class LorawanAddresses {
  /**
   * The verticle's name in per-node addresses: a downlink for a gateway owned by another node goes to
   * {@code gridline.node.<owner>.lorawan} ({@code NodeAddresses.nodeAddress(owner, VERTICLE)}).
   */
  public static final String VERTICLE = "lorawan";
  /**
   * Published after a gateway was registered or deleted (body: its id, 16 hex digits); every network server reloads
   * its registered gateways at once, so a new gateway's first datagrams are not dropped as unknown.
   */
  public static final String GATEWAY_CHANGED = "gridline.lorawan.gateway.changed";
  /** The type of a LoRaWAN downlink in the shared {@code commands} table. */
  public static final String DOWNLINK_COMMAND = "lorawan.downlink";

  private LorawanAddresses() {}
}
