package io.gridline.lrwn.frame;

/** MType 111: the vendor defines everything after the MHDR, so it is kept as sent. */
public record Proprietary(Bytes payload) implements PhyPayload {
  static Proprietary decode(byte[] phy) {
    return new Proprietary(Bytes.of(phy, 1, phy.length));
  }

  @Override
  public MType mType() {
    return MType.PROPRIETARY;
  }

  @Override
  public byte[] encode() {
    byte[] b = new byte[1 + payload.length()];
    b[0] = (byte) MType.PROPRIETARY.mhdr();
    payload.copyTo(b, 1);
    return b;
  }
}
