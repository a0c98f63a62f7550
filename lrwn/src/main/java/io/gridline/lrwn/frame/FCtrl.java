package io.gridline.lrwn.frame;

/**
 * The FCtrl flags. Bits 6 and 4 mean different things by direction (uplink: ADRACKReq, ClassB; downlink: RFU,
 * FPending), so a flag of the other direction is refused when encoding; FOptsLen (bits 3..0) is derived from the FOpts.
 */
public record FCtrl(boolean adr, boolean adrAckReq, boolean ack, boolean classB, boolean fPending) {
  public static final FCtrl NONE = new FCtrl(false, false, false, false, false);

  public static FCtrl uplink(boolean adr, boolean adrAckReq, boolean ack, boolean classB) {
    return new FCtrl(adr, adrAckReq, ack, classB, false);
  }

  public static FCtrl downlink(boolean adr, boolean ack, boolean fPending) {
    return new FCtrl(adr, false, ack, false, fPending);
  }

  /** Reads the flags; the RFU bit 6 of a downlink is ignored, as receivers must. */
  static FCtrl decode(Direction direction, int octet) {
    boolean adr = (octet & 0x80) != 0;
    boolean ack = (octet & 0x20) != 0;
    return direction == Direction.UPLINK
        ? uplink(adr, (octet & 0x40) != 0, ack, (octet & 0x10) != 0)
        : downlink(adr, ack, (octet & 0x10) != 0);
  }

  int encode(Direction direction, int fOptsLen) {
    if (direction == Direction.UPLINK && fPending) {
      throw new IllegalArgumentException("FPending is a downlink flag");
    }
    if (direction == Direction.DOWNLINK && (adrAckReq || classB)) {
      throw new IllegalArgumentException("ADRACKReq and ClassB are uplink flags");
    }
    return (adr ? 0x80 : 0) | (adrAckReq ? 0x40 : 0) | (ack ? 0x20 : 0) | (classB || fPending ? 0x10 : 0) | fOptsLen;
  }
}
