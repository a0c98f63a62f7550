package io.gridline.lrwn.frame;

/**
 * LoRaWAN 1.0.x session keys from an OTAA join:
 * {@code NwkSKey = AES-ECB(AppKey, 01 | JoinNonce | NetID | DevNonce | 00×7)}, AppSKey the same with {@code 02}; every
 * field little-endian.
 */
public final class KeyDerivation {
  private KeyDerivation() {}

  public static SessionKeys derive(AesKey appKey, int joinNonce, NetId netId, int devNonce) {
    return new SessionKeys(key(appKey, 0x01, joinNonce, netId, devNonce), key(appKey, 0x02, joinNonce, netId, devNonce));
  }

  private static AesKey key(AesKey appKey, int kind, int joinNonce, NetId netId, int devNonce) {
    if ((joinNonce & ~0xFF_FFFF) != 0 || (devNonce & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("JoinNonce has 24 bits and DevNonce 16");
    }
    byte[] block = new byte[Aes128.BLOCK];
    block[0] = (byte) kind;
    LittleEndian.write24(block, 1, joinNonce);
    netId.writeLittleEndian(block, 4);
    LittleEndian.write16(block, 7, devNonce);
    return AesKey.of(Aes128.ecb(appKey, true, block));
  }
}
