package io.gridline.contracts.lorawan;

/** Event-bus names of the LoRaWAN network server. */
public final class LorawanAddresses {
  /**
   * The verticle's name in per-node addresses: a downlink for a gateway owned by another node goes to
   * {@code gridline.node.<owner>.lorawan} ({@code NodeAddresses.nodeAddress(owner, VERTICLE)}).
   */
  public static final String VERTICLE = "lorawan";
  /** The type of a LoRaWAN downlink in the shared {@code commands} table. */
  public static final String DOWNLINK_COMMAND = "lorawan.downlink";

  private LorawanAddresses() {}
}
