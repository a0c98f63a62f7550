package io.gridline.lrwn.frame;

import java.util.HexFormat;

/**
 * A 24-bit LoRa Alliance NetID: 3-bit type, then the NetID field. It fixes which DevAddr prefix the network's devices get
 * (LoRaWAN Backend Interfaces 1.0, "DevAddr assignment").
 */
public record NetId(int value) {
  /** NwkID bits in a DevAddr, by NetID type. */
  private static final int[] NWK_ID_BITS = {6, 6, 9, 11, 12, 13, 15, 17};

  public NetId {
    if ((value & ~0xFF_FFFF) != 0) {
      throw new IllegalArgumentException("a NetID has 24 bits: " + Integer.toHexString(value));
    }
  }

  public static NetId fromHex(String hex) {
    if (hex.length() != 6) {
      throw new IllegalArgumentException("a NetID is 6 hex digits, not " + hex.length());
    }
    return new NetId(HexFormat.fromHexDigits(hex));
  }

  public static NetId fromLittleEndian(byte[] b, int off) {
    return new NetId(LittleEndian.read24(b, off));
  }

  public void writeLittleEndian(byte[] b, int off) {
    LittleEndian.write24(b, off, value);
  }

  public int type() {
    return value >>> 21;
  }

  /** The NetID field: 6 bits for types 0 and 1, 9 for type 2, 21 for the others. */
  public int id() {
    int bits = switch (type()) {
      case 0, 1 -> 6;
      case 2 -> 9;
      default -> 21;
    };
    return value & ((1 << bits) - 1);
  }

  /** The DevAddr prefix of this network: the type's prefix ({@code type} ones and a zero), then the NwkID. */
  public DevAddrPrefix devAddrPrefix() {
    int type = type();
    int prefixLength = type + 1;
    int nwkIdBits = NWK_ID_BITS[type];
    int typePrefix = type == 0 ? 0 : ((1 << type) - 1) << (32 - type);
    int nwkId = id() & ((1 << nwkIdBits) - 1);
    return new DevAddrPrefix(typePrefix | nwkId << (32 - prefixLength - nwkIdBits), prefixLength + nwkIdBits);
  }

  public String hex() {
    return HexFormat.of().toHexDigits(value).substring(2);
  }

  @Override
  public String toString() {
    return hex();
  }
}
