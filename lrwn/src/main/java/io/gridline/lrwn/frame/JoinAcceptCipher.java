package io.gridline.lrwn.frame;

import java.util.Arrays;

/**
 * JoinAccept encryption. The network <em>decrypts</em> {@code JoinNonce..MIC} with AES-ECB under the AppKey to
 * encrypt it, so that a device needs only the AES encrypt direction to read it (LoRaWAN 1.0.x §6.2.5). The MIC is set
 * before ({@link Mic#signJoinAccept}).
 */
public final class JoinAcceptCipher {
  private JoinAcceptCipher() {}

  public static EncryptedJoinAccept encrypt(JoinAccept accept, AesKey appKey) {
    byte[] clear = accept.encodeClear();
    return new EncryptedJoinAccept(Bytes.of(Aes128.ecb(appKey, false, Arrays.copyOfRange(clear, 1, clear.length))));
  }

  /** The device side, and how tests read back what the network sent; the MIC is not checked here. */
  public static JoinAccept decrypt(EncryptedJoinAccept onAir, AesKey appKey) throws FrameException {
    byte[] body = Aes128.ecb(appKey, true, onAir.encrypted().toArray());
    byte[] clear = new byte[1 + body.length];
    clear[0] = (byte) MType.JOIN_ACCEPT.mhdr();
    System.arraycopy(body, 0, clear, 1, body.length);
    return JoinAccept.decodeClear(clear);
  }
}
