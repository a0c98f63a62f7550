package io.gridline.lrwn.frame;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The two AES primitives LoRaWAN 1.0.x uses, from Bouncy Castle's lightweight API: single-block AES-128 (ECB) and
 * AES-CMAC (RFC 4493). Engines are cheap and not thread-safe, so each call makes its own.
 */
final class Aes128 {
  static final int BLOCK = 16;

  private Aes128() {}

  /** ECB over whole blocks, {@code data.length} a multiple of 16. */
  static byte[] ecb(AesKey key, boolean encrypt, byte[] data) {
    BlockCipher aes = AESEngine.newInstance();
    aes.init(encrypt, new KeyParameter(key.octets));
    byte[] out = new byte[data.length];
    for (int off = 0; off < data.length; off += BLOCK) {
      aes.processBlock(data, off, out, off);
    }
    return out;
  }

  /** The full 16-octet CMAC of {@code message[0..length)}. */
  static byte[] cmac(AesKey key, byte[] message, int length) {
    CMac mac = new CMac(AESEngine.newInstance());
    mac.init(new KeyParameter(key.octets));
    mac.update(message, 0, length);
    byte[] out = new byte[BLOCK];
    mac.doFinal(out, 0);
    return out;
  }
}
