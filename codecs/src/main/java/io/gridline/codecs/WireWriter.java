package io.gridline.codecs;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Appends fields to a buffer in the compact layout {@link WireReader} reads. */
final class WireWriter {
  private final Buffer buffer;

  WireWriter(Buffer buffer) {
    this.buffer = buffer;
  }

  WireWriter writeLong(long v) {
    buffer.appendLong(v);
    return this;
  }

  WireWriter writeInt(int v) {
    buffer.appendInt(v);
    return this;
  }

  WireWriter writeByte(int v) {
    buffer.appendByte((byte) v);
    return this;
  }

  WireWriter writeString(String s) {
    if (s == null) {
      buffer.appendInt(-1);
      return this;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
    return this;
  }
}
