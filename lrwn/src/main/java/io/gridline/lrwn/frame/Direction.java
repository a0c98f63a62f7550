package io.gridline.lrwn.frame;

/** Uplink (device to network) or downlink; the Dir octet of the B0 and A_i blocks, and what a MAC command CID means. */
public enum Direction {
  UPLINK(0),
  DOWNLINK(1);

  private final int bit;

  Direction(int bit) {
    this.bit = bit;
  }

  /** The Dir value of the B0/A_i blocks. */
  public int bit() {
    return bit;
  }
}
