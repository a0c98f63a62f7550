package io.gridline.lrwn.maccommand;

/** Range checks and bit packing the command records share. */
final class Bits {
  static final long MAX_FREQUENCY_HZ = 0xFF_FFFFL * 100;

  private Bits() {}

  static void check(int value, int min, int max, String what) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + " lies in " + min + ".." + max + ": " + value);
    }
  }

  static void checkFrequency(long hz) {
    if (hz < 0 || hz > MAX_FREQUENCY_HZ || hz % 100 != 0) {
      throw new IllegalArgumentException("a MAC command frequency is 24 bits of 100 Hz: " + hz);
    }
  }

  static void writeFrequency(byte[] b, int off, long hz) {
    int units = (int) (hz / 100);
    b[off] = (byte) units;
    b[off + 1] = (byte) (units >>> 8);
    b[off + 2] = (byte) (units >>> 16);
  }

  static long readFrequency(byte[] b, int off) {
    return ((b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16) * 100L;
  }

  /** Packs flags most significant first into the low bits: {@code flags(a, b, c)} = a·4 + b·2 + c. */
  static int flags(boolean... flags) {
    int v = 0;
    for (boolean f : flags) {
      v = v << 1 | (f ? 1 : 0);
    }
    return v;
  }

  static boolean bit(int octet, int bit) {
    return (octet & 1 << bit) != 0;
  }
}
