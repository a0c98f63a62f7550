package io.gridline.sim.faces2;

import java.util.Locale;

/** A controller's MAC address, which also names it on MQTT: client id and topics use {@code f2-<12 hex digits>}. */
public record DeviceMac(long value) {
  private static final long MAX = 0xFFFF_FFFF_FFFFL;

  public DeviceMac {
    if (value < 0 || value > MAX) {
      throw new IllegalArgumentException("MAC out of range: " + value);
    }
  }

  /** @param text {@code aa:bb:cc:dd:ee:01}, {@code aa-bb-…} or {@code aabbccddee01} */
  public static DeviceMac parse(String text) {
    String digits = text.trim().replace(":", "").replace("-", "").toLowerCase(Locale.ROOT);
    if (!digits.matches("[0-9a-f]{12}")) {
      throw new IllegalArgumentException("not a MAC address: " + text + " (expected e.g. aa:bb:cc:dd:ee:01)");
    }
    return new DeviceMac(Long.parseLong(digits, 16));
  }

  /** @return the MAC {@code offset} addresses further on: devices are numbered up from the first MAC */
  public DeviceMac plus(int offset) {
    if (value + offset > MAX) {
      throw new IllegalArgumentException("MAC range runs past ff:ff:ff:ff:ff:ff");
    }
    return new DeviceMac(value + offset);
  }

  public String hex() {
    return String.format(Locale.ROOT, "%012x", value);
  }

  public String clientId() {
    return "f2-" + hex();
  }

  /** @return the topic of one sensor's reading, as the stream processor parses it (mode and sensor index) */
  public String topic(int mode, int sensor) {
    return "stat/" + clientId() + "/sensor-mode/" + mode + "/sensor-" + sensor;
  }

  @Override
  public String toString() {
    String hex = hex();
    StringBuilder colons = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        colons.append(':');
      }
      colons.append(hex, i, i + 2);
    }
    return colons.toString();
  }
}
