package io.gridline.lrwn.semtechudp;

/** The {@code rxpk.stat} CRC status. */
public enum CrcStatus {
  OK(1),
  /** The PHY CRC failed: the octets are damaged, the packet is dropped (and counted) before any LoRaWAN step. */
  FAIL(-1),
  /** Sent without a CRC (downlink-style packets heard by the gateway). */
  NO_CRC(0);

  private final int code;

  CrcStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** @throws IllegalArgumentException outside -1..1 (the reader checks the range first) */
  static CrcStatus ofCode(long code) {
    for (CrcStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("no CRC status " + code);
  }
}
