package io.gridline.codecs;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Sequential reader over a buffer region written by {@link WireWriter}. */
final class WireReader {
  private final Buffer buffer;
  private int pos;

  WireReader(Buffer buffer, int pos) {
    this.buffer = buffer;
    this.pos = pos;
  }

  long readLong() {
    long v = buffer.getLong(pos);
    pos += 8;
    return v;
  }

  int readInt() {
    int v = buffer.getInt(pos);
    pos += 4;
    return v;
  }

  byte readByte() {
    return buffer.getByte(pos++);
  }

  /** Null-aware: length -1 means null. */
  String readString() {
    int len = readInt();
    if (len < 0) {
      return null;
    }
    String s = buffer.getString(pos, pos + len, StandardCharsets.UTF_8.name());
    pos += len;
    return s;
  }
}
