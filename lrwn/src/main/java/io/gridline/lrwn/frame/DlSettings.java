package io.gridline.lrwn.frame;

/** JoinAccept DLSettings: RX1DROffset (bits 6..4) and RX2DataRate (bits 3..0); bit 7 is RFU in 1.0.x. */
public record DlSettings(int rx1DrOffset, int rx2DataRate) {
  public DlSettings {
    if (rx1DrOffset < 0 || rx1DrOffset > 7) {
      throw new IllegalArgumentException("RX1DROffset has 3 bits: " + rx1DrOffset);
    }
    if (rx2DataRate < 0 || rx2DataRate > 15) {
      throw new IllegalArgumentException("RX2DataRate has 4 bits: " + rx2DataRate);
    }
  }

  static DlSettings decode(int octet) {
    return new DlSettings(octet >>> 4 & 0x07, octet & 0x0F);
  }

  int encode() {
    return rx1DrOffset << 4 | rx2DataRate;
  }
}
