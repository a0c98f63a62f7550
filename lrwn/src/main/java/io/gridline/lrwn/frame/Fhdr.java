package io.gridline.lrwn.frame;

/**
 * The frame header: DevAddr, FCtrl, the 16 low bits of the frame counter as sent, and FOpts (MAC commands, plain in
 * LoRaWAN 1.0.x).
 */
public record Fhdr(DevAddr devAddr, FCtrl fCtrl, int fCnt, Bytes fOpts) {
  public static final int MAX_FOPTS = 15;

  public Fhdr {
    if (fCnt < 0 || fCnt > 0xFFFF) {
      throw new IllegalArgumentException("the FCnt on air has 16 bits: " + fCnt);
    }
    if (fOpts.length() > MAX_FOPTS) {
      throw new IllegalArgumentException("FOpts hold at most 15 octets, not " + fOpts.length());
    }
  }

  /** DevAddr 4 + FCtrl 1 + FCnt 2 + FOpts. */
  int length() {
    return 7 + fOpts.length();
  }
}
