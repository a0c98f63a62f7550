package io.gridline.lrwn.frame;

import java.util.OptionalInt;

/**
 * A data message, {@code MHDR | FHDR | [FPort | FRMPayload] | MIC}. {@code frmPayload} is as on air (encrypted);
 * {@link FrmCipher} turns it into the clear payload and back. A frame with no FPort has no FRMPayload; FPort 0 carries
 * MAC commands in the FRMPayload, and then FOpts must be empty.
 */
public record DataFrame(MType mType, Fhdr fhdr, OptionalInt fPort, Bytes frmPayload, int mic) implements PhyPayload {
  /** MHDR + FHDR without FOpts + MIC. */
  public static final int MIN_LENGTH = 12;

  public DataFrame {
    if (!mType.isData()) {
      throw new IllegalArgumentException("not a data message type: " + mType);
    }
    if (fPort.isPresent() && (fPort.getAsInt() < 0 || fPort.getAsInt() > 255)) {
      throw new IllegalArgumentException("FPort has 8 bits: " + fPort.getAsInt());
    }
    if (fPort.isEmpty() && !frmPayload.isEmpty()) {
      throw new IllegalArgumentException("an FRMPayload needs an FPort");
    }
    if (fPort.isPresent() && fPort.getAsInt() == 0 && !fhdr.fOpts().isEmpty()) {
      throw new IllegalArgumentException("MAC commands in FOpts and on FPort 0 at once");
    }
    if (MIN_LENGTH + fhdr.fOpts().length() + (fPort.isPresent() ? 1 : 0) + frmPayload.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("the frame would exceed " + MAX_LENGTH + " octets");
    }
  }

  static DataFrame decode(MType mType, byte[] phy) throws FrameException {
    if (phy.length < MIN_LENGTH) {
      throw new FrameException(FrameException.Reason.TOO_SHORT, "data frame of " + phy.length + " octets");
    }
    Direction direction = mType.direction();
    int fCtrlOctet = phy[5] & 0xFF;
    int fOptsLen = fCtrlOctet & 0x0F;
    int fOptsEnd = 8 + fOptsLen;
    int micAt = phy.length - 4;
    if (fOptsEnd > micAt) {
      throw new FrameException(FrameException.Reason.FOPTS_OVERRUN,
          "FOptsLen " + fOptsLen + " in a frame of " + phy.length + " octets");
    }
    Fhdr fhdr = new Fhdr(DevAddr.fromLittleEndian(phy, 1), FCtrl.decode(direction, fCtrlOctet),
        LittleEndian.read16(phy, 6), Bytes.of(phy, 8, fOptsEnd));
    OptionalInt fPort = fOptsEnd < micAt ? OptionalInt.of(phy[fOptsEnd] & 0xFF) : OptionalInt.empty();
    if (fPort.isPresent() && fPort.getAsInt() == 0 && fOptsLen > 0) {
      throw new FrameException(FrameException.Reason.FOPTS_WITH_PORT_ZERO, "FOptsLen " + fOptsLen + " with FPort 0");
    }
    Bytes frmPayload = fPort.isPresent() ? Bytes.of(phy, fOptsEnd + 1, micAt) : Bytes.EMPTY;
    return new DataFrame(mType, fhdr, fPort, frmPayload, Mic.fromWire(phy, micAt));
  }

  public Direction direction() {
    return mType.direction();
  }

  public DataFrame withMic(int newMic) {
    return new DataFrame(mType, fhdr, fPort, frmPayload, newMic);
  }

  public DataFrame withFrmPayload(Bytes newPayload) {
    return new DataFrame(mType, fhdr, fPort, newPayload, mic);
  }

  @Override
  public byte[] encode() {
    byte[] b = new byte[MIN_LENGTH + fhdr.fOpts().length() + (fPort.isPresent() ? 1 + frmPayload.length() : 0)];
    b[0] = (byte) mType.mhdr();
    fhdr.devAddr().writeLittleEndian(b, 1);
    b[5] = (byte) fhdr.fCtrl().encode(direction(), fhdr.fOpts().length());
    LittleEndian.write16(b, 6, fhdr.fCnt());
    fhdr.fOpts().copyTo(b, 8);
    int at = 8 + fhdr.fOpts().length();
    if (fPort.isPresent()) {
      b[at] = (byte) fPort.getAsInt();
      frmPayload.copyTo(b, at + 1);
    }
    Mic.toWire(b, b.length - 4, mic);
    return b;
  }
}
