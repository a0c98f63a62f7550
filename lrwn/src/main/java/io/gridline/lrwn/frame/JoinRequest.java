package io.gridline.lrwn.frame;

/** {@code MHDR | JoinEUI | DevEUI | DevNonce | MIC}, 23 octets; the EUIs and DevNonce little-endian on air. */
public record JoinRequest(Eui64 joinEui, Eui64 devEui, int devNonce, int mic) implements PhyPayload {
  public static final int LENGTH = 23;

  public JoinRequest {
    if (devNonce < 0 || devNonce > 0xFFFF) {
      throw new IllegalArgumentException("DevNonce has 16 bits: " + devNonce);
    }
  }

  static JoinRequest decode(byte[] phy) throws FrameException {
    if (phy.length != LENGTH) {
      throw new FrameException(FrameException.Reason.BAD_LENGTH, "JoinRequest of " + phy.length + " octets, not 23");
    }
    return new JoinRequest(Eui64.fromLittleEndian(phy, 1), Eui64.fromLittleEndian(phy, 9),
        LittleEndian.read16(phy, 17), Mic.fromWire(phy, 19));
  }

  public JoinRequest withMic(int newMic) {
    return new JoinRequest(joinEui, devEui, devNonce, newMic);
  }

  @Override
  public MType mType() {
    return MType.JOIN_REQUEST;
  }

  @Override
  public byte[] encode() {
    byte[] b = new byte[LENGTH];
    b[0] = (byte) MType.JOIN_REQUEST.mhdr();
    joinEui.writeLittleEndian(b, 1);
    devEui.writeLittleEndian(b, 9);
    LittleEndian.write16(b, 17, devNonce);
    Mic.toWire(b, 19, mic);
    return b;
  }
}
