package io.gridline.lrwn.frame;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable run of octets. Records that hold a {@code byte[]} are neither immutable nor comparable by value; the
 * frame records hold this instead, so a decoded frame equals the one it was encoded from.
 */
public final class Bytes {
  private static final HexFormat HEX = HexFormat.of();
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] octets;

  private Bytes(byte[] octets) {
    this.octets = octets;
  }

  public static Bytes of(byte... octets) {
    return octets.length == 0 ? EMPTY : new Bytes(octets.clone());
  }

  public static Bytes of(byte[] source, int from, int to) {
    return from == to ? EMPTY : new Bytes(Arrays.copyOfRange(source, from, to));
  }

  /** @throws IllegalArgumentException for an odd length or a non-hex digit */
  public static Bytes fromHex(String hex) {
    return of(HEX.parseHex(hex));
  }

  public int length() {
    return octets.length;
  }

  public boolean isEmpty() {
    return octets.length == 0;
  }

  /** @return the octet at {@code index} as 0..255 */
  public int get(int index) {
    return octets[index] & 0xFF;
  }

  public byte[] toArray() {
    return octets.clone();
  }

  /** Copies the octets into {@code target} at {@code offset}; saves a copy on the encode paths. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(octets, 0, target, offset, octets.length);
  }

  /** Lower-case hex, in wire order. */
  public String hex() {
    return HEX.formatHex(octets);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(octets, other.octets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(octets);
  }

  @Override
  public String toString() {
    return hex();
  }
}
