package io.gridline.lrwn.frame;

import java.util.HexFormat;

/**
 * A 64-bit EUI: DevEUI, JoinEUI (AppEUI in 1.0.x) or a gateway id. Written most significant octet first as 16
 * lower-case hex digits; LoRaWAN frames carry it little-endian, the Semtech UDP header big-endian.
 */
public record Eui64(long value) {
  public static Eui64 fromHex(String hex) {
    if (hex.length() != 16) {
      throw new IllegalArgumentException("an EUI-64 is 16 hex digits, not " + hex.length());
    }
    return new Eui64(HexFormat.fromHexDigitsToLong(hex));
  }

  public static Eui64 fromLittleEndian(byte[] b, int off) {
    return new Eui64(LittleEndian.read64(b, off));
  }

  public static Eui64 fromBigEndian(byte[] b, int off) {
    return new Eui64(Long.reverseBytes(LittleEndian.read64(b, off)));
  }

  public void writeLittleEndian(byte[] b, int off) {
    LittleEndian.write64(b, off, value);
  }

  public void writeBigEndian(byte[] b, int off) {
    LittleEndian.write64(b, off, Long.reverseBytes(value));
  }

  /** Canonical form: 16 lower-case hex digits, most significant first. */
  public String hex() {
    return HexFormat.of().toHexDigits(value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
