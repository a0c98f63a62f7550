package io.gridline.lrwn.frame;

/** MHDR message type (the three top bits). */
public enum MType {
  JOIN_REQUEST(0b000, Direction.UPLINK),
  JOIN_ACCEPT(0b001, Direction.DOWNLINK),
  UNCONFIRMED_DATA_UP(0b010, Direction.UPLINK),
  UNCONFIRMED_DATA_DOWN(0b011, Direction.DOWNLINK),
  CONFIRMED_DATA_UP(0b100, Direction.UPLINK),
  CONFIRMED_DATA_DOWN(0b101, Direction.DOWNLINK),
  /** RFU in LoRaWAN 1.0.x; RejoinRequest in 1.1. */
  RFU(0b110, null),
  /** Direction unknown: the format is the vendor's. */
  PROPRIETARY(0b111, null);

  private static final MType[] BY_BITS = values();

  private final int bits;
  private final Direction direction;

  MType(int bits, Direction direction) {
    this.bits = bits;
    this.direction = direction;
  }

  static MType ofBits(int bits) {
    return BY_BITS[bits & 0b111];
  }

  public int bits() {
    return bits;
  }

  /** @return the direction; null for RFU and proprietary frames */
  public Direction direction() {
    return direction;
  }

  public boolean isData() {
    return this == UNCONFIRMED_DATA_UP || this == UNCONFIRMED_DATA_DOWN || this == CONFIRMED_DATA_UP
        || this == CONFIRMED_DATA_DOWN;
  }

  public boolean isConfirmed() {
    return this == CONFIRMED_DATA_UP || this == CONFIRMED_DATA_DOWN;
  }

  /** The MHDR octet for LoRaWAN R1 (Major 0, RFU bits 0). */
  int mhdr() {
    return bits << 5;
  }
}
