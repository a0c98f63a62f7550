package io.gridline.lrwn.frame;

/** LoRaWAN puts every multi-octet field least significant octet first (LoRaWAN 1.0.x §4). */
final class LittleEndian {
  private LittleEndian() {}

  static int read16(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
  }

  static int read24(byte[] b, int off) {
    return read16(b, off) | (b[off + 2] & 0xFF) << 16;
  }

  static int read32(byte[] b, int off) {
    return read24(b, off) | (b[off + 3] & 0xFF) << 24;
  }

  static long read64(byte[] b, int off) {
    return (read32(b, off) & 0xFFFF_FFFFL) | (long) read32(b, off + 4) << 32;
  }

  static void write16(byte[] b, int off, int value) {
    b[off] = (byte) value;
    b[off + 1] = (byte) (value >>> 8);
  }

  static void write24(byte[] b, int off, int value) {
    write16(b, off, value);
    b[off + 2] = (byte) (value >>> 16);
  }

  static void write32(byte[] b, int off, int value) {
    write24(b, off, value);
    b[off + 3] = (byte) (value >>> 24);
  }

  static void write64(byte[] b, int off, long value) {
    write32(b, off, (int) value);
    write32(b, off + 4, (int) (value >>> 32));
  }
}
