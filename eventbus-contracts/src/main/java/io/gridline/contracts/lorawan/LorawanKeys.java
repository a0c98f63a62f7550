package io.gridline.contracts.lorawan;

/**
 * Redis keys of the LoRaWAN network server. Several nodes run the lorawan verticle at once: dedup and sessions are in
 * Redis so any of them can take any frame.
 */
public final class LorawanKeys {
  private LorawanKeys() {}

  /** A device session (DevEUI, 16 lower-case hex): {@code lorawan:ds:<DevEUI>}. */
  public static String session(String devEui) {
    return "lorawan:ds:" + devEui;
  }

  /** The DevEUIs whose session uses a DevAddr (8 lower-case hex), a set: {@code lorawan:devaddr:<DevAddr>}. */
  public static String devAddr(String devAddr) {
    return "lorawan:devaddr:" + devAddr;
  }

  /** The copies of one uplink heard by several gateways, a set: {@code up:collect:{<key>}} (the braces: one slot). */
  public static String collect(String frameKey) {
    return "up:collect:{" + frameKey + "}";
  }

  /** Whoever sets it first (NX) handles the uplink once the dedup window closed. */
  public static String collectLock(String frameKey) {
    return collect(frameKey) + ":lock";
  }

  /** The node holding a gateway's return address (Semtech UDP) or link: {@code gridline:owner:lorawan-gateway:<id>}. */
  public static String gatewayOwner(String gatewayId) {
    return "gridline:owner:lorawan-gateway:" + gatewayId;
  }
}
