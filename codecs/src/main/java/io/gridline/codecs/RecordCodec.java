package io.gridline.codecs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Compact binary wire format for one contract record. The frame is {@code length u32 | fields}; a local
 * (same-node) send passes the immutable record through untouched.
 */
abstract class RecordCodec<T extends Record> implements MessageCodec<T, T> {
  private final Class<T> type;

  RecordCodec(Class<T> type) {
    this.type = type;
  }

  Class<T> type() {
    return type;
  }

  abstract void write(WireWriter out, T value);

  abstract T read(WireReader in);

  @Override
  public final void encodeToWire(Buffer buffer, T value) {
    int lengthAt = buffer.length();
    buffer.appendInt(0);
    write(new WireWriter(buffer), value);
    buffer.setInt(lengthAt, buffer.length() - lengthAt - 4);
  }

  @Override
  public final T decodeFromWire(int pos, Buffer buffer) {
    return read(new WireReader(buffer, pos + 4));
  }

  @Override
  public final T transform(T value) {
    return value;
  }

  @Override
  public final String name() {
    return "gridline." + type.getSimpleName();
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
