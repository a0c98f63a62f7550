package io.gridline.lrwn.frame;

/**
 * A JoinAccept as sent on air: {@code MHDR | AES-ECB-decrypt(AppKey, JoinNonce..CFList | MIC)}, 16 or 32 encrypted
 * octets. Nothing in it can be read without the AppKey: {@link JoinAcceptCipher#decrypt}.
 */
public record EncryptedJoinAccept(Bytes encrypted) implements PhyPayload {
  public EncryptedJoinAccept {
    if (encrypted.length() != 16 && encrypted.length() != 32) {
      throw new IllegalArgumentException("a JoinAccept encrypts 16 or 32 octets, not " + encrypted.length());
    }
  }

  static EncryptedJoinAccept decode(byte[] phy) throws FrameException {
    if (phy.length != 17 && phy.length != 33) {
      throw new FrameException(FrameException.Reason.BAD_LENGTH,
          "JoinAccept of " + phy.length + " octets, not 17 or 33");
    }
    return new EncryptedJoinAccept(Bytes.of(phy, 1, phy.length));
  }

  @Override
  public MType mType() {
    return MType.JOIN_ACCEPT;
  }

  @Override
  public byte[] encode() {
    byte[] b = new byte[1 + encrypted.length()];
    b[0] = (byte) MType.JOIN_ACCEPT.mhdr();
    encrypted.copyTo(b, 1);
    return b;
  }
}
