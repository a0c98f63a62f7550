package io.gridline.lrwn.frame;

import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** A 32-bit device address, written most significant octet first ({@code 49be7df1}); little-endian on the wire. */
public record DevAddr(int value) {
  public static DevAddr fromHex(String hex) {
    if (hex.length() != 8) {
      throw new IllegalArgumentException("a DevAddr is 8 hex digits, not " + hex.length());
    }
    return new DevAddr(HexFormat.fromHexDigits(hex));
  }

  public static DevAddr fromLittleEndian(byte[] b, int off) {
    return new DevAddr(LittleEndian.read32(b, off));
  }

  /** A fresh address inside {@code netId}'s prefix, for a JoinAccept; the rest of the bits come from {@code random}. */
  public static DevAddr random(NetId netId, RandomGenerator random) {
    return netId.devAddrPrefix().apply(random.nextInt());
  }

  public void writeLittleEndian(byte[] b, int off) {
    LittleEndian.write32(b, off, value);
  }

  public String hex() {
    return HexFormat.of().toHexDigits(value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
