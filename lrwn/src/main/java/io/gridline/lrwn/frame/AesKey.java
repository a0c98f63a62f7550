package io.gridline.lrwn.frame;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** A 128-bit AES key (AppKey, NwkSKey, AppSKey). Its {@link #toString()} never shows the key: records holding keys get logged. */
public final class AesKey {
  final byte[] octets;

  private AesKey(byte[] octets) {
    this.octets = octets;
  }

  /** A copy of the key's octets (to seal it for storage). */
  public byte[] octets() {
    return octets.clone();
  }

  /** @throws IllegalArgumentException unless exactly 16 octets */
  public static AesKey of(byte[] octets) {
    if (octets.length != 16) {
      throw new IllegalArgumentException("an AES-128 key has 16 octets, not " + octets.length);
    }
    return new AesKey(octets.clone());
  }

  /** @throws IllegalArgumentException unless 32 hex digits */
  public static AesKey fromHex(String hex) {
    if (hex.length() != 32) {
      throw new IllegalArgumentException("an AES-128 key is 32 hex digits, not " + hex.length());
    }
    return of(HexFormat.of().parseHex(hex));
  }

  /** For storing the key, never for logs. */
  public String hex() {
    return HexFormat.of().formatHex(octets);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AesKey other && MessageDigest.isEqual(octets, other.octets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(octets);
  }

  @Override
  public String toString() {
    return "AesKey[hidden]";
  }
}
