package io.gridline.lrwn.frame;

import java.util.HexFormat;

/** The leading {@code length} bits every DevAddr of one network shares ({@code bits} holds them, the rest zero). */
public record DevAddrPrefix(int bits, int length) {
  public DevAddrPrefix {
    if (length < 0 || length > 32) {
      throw new IllegalArgumentException("a DevAddr prefix has 0..32 bits, not " + length);
    }
    if ((bits & ~mask(length)) != 0) {
      throw new IllegalArgumentException("prefix bits beyond its length: " + Integer.toHexString(bits) + "/" + length);
    }
  }

  private static int mask(int length) {
    return length == 0 ? 0 : -1 << (32 - length);
  }

  public boolean contains(DevAddr devAddr) {
    return (devAddr.value() & mask(length)) == bits;
  }

  /** @return the address made of this prefix and the remaining (low) bits of {@code nwkAddrBits} */
  public DevAddr apply(int nwkAddrBits) {
    return new DevAddr((nwkAddrBits & ~mask(length)) | bits);
  }

  @Override
  public String toString() {
    return HexFormat.of().toHexDigits(bits) + "/" + length;
  }
}
