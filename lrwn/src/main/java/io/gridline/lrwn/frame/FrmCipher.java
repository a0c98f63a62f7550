package io.gridline.lrwn.frame;

/**
 * FRMPayload encryption of LoRaWAN 1.0.x: XOR with AES-ECB(K, A_i), A_i = {@code 01 00000000 Dir DevAddr FCnt32 00 i}
 * for i from 1, K = NwkSKey on FPort 0 and AppSKey on every other port. The same operation encrypts and decrypts.
 * FOpts are not encrypted in 1.0.x.
 */
public final class FrmCipher {
  private FrmCipher() {}

  public static Bytes apply(AesKey key, Direction direction, DevAddr devAddr, long fCnt32, Bytes payload) {
    int n = payload.length();
    if (n == 0) {
      return Bytes.EMPTY;
    }
    int blocks = (n + Aes128.BLOCK - 1) / Aes128.BLOCK;
    byte[] a = new byte[blocks * Aes128.BLOCK];
    for (int i = 0; i < blocks; i++) {
      int off = i * Aes128.BLOCK;
      a[off] = 0x01;
      a[off + 5] = (byte) direction.bit();
      devAddr.writeLittleEndian(a, off + 6);
      LittleEndian.write32(a, off + 10, (int) fCnt32);
      a[off + 15] = (byte) (i + 1);
    }
    byte[] s = Aes128.ecb(key, true, a);
    byte[] out = payload.toArray();
    for (int i = 0; i < n; i++) {
      out[i] ^= s[i];
    }
    return Bytes.of(out);
  }

  /** @return the clear FRMPayload of a received frame (empty when it has none) */
  public static Bytes decrypt(DataFrame frame, SessionKeys keys, long fCnt32) {
    return crypt(frame, keys, fCnt32);
  }

  /** @return {@code frame} whose FRMPayload, given in clear, is now encrypted; sign it after ({@link Mic#signData}) */
  public static DataFrame encrypt(DataFrame frame, SessionKeys keys, long fCnt32) {
    return frame.withFrmPayload(crypt(frame, keys, fCnt32));
  }

  private static Bytes crypt(DataFrame frame, SessionKeys keys, long fCnt32) {
    if (frame.fPort().isEmpty()) {
      return Bytes.EMPTY;
    }
    Mic.checkCounter(frame, fCnt32);
    return apply(keys.forPort(frame.fPort().getAsInt()), frame.direction(), frame.fhdr().devAddr(), fCnt32,
        frame.frmPayload());
  }
}
