package io.gridline.codecs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;

/**
 * JSON value format of one Kafka record type (docs/architecture.md §4: other consumers read these topics too). Times
 * are RFC 3339
 * UTC with milliseconds, binary payloads base64. {@link #SCHEMA_HEADER} carries {@link #schemaVersion()}.
 */
public abstract class KafkaJsonCodec<T extends Record> {
  /** The Kafka header naming the value's schema version. */
  public static final String SCHEMA_HEADER = "schema";
  private final Class<T> type;

  KafkaJsonCodec(Class<T> type) {
    this.type = type;
  }

  public Class<T> type() {
    return type;
  }

  public String schemaVersion() {
    return "1";
  }

  public abstract JsonObject toJson(T value);

  /** @throws IllegalArgumentException when the JSON is not a valid value of this type, with the reason */
  public abstract T fromJson(JsonObject json);

  /**
   * The JSON bytes of {@code value}; by default {@code toJson(value).toBuffer()}. A codec may override this (and
   * {@link #decode}) with a faster path that produces the same bytes and reads what {@link #fromJson} reads.
   */
  public Buffer encode(T value) {
    return toJson(value).toBuffer();
  }

  /** @throws IllegalArgumentException when the bytes are not a valid value of this type */
  public T decode(Buffer bytes) {
    JsonObject json;
    try {
      json = new JsonObject(bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
    }
    try {
      return fromJson(json);
    } catch (ClassCastException | NullPointerException | DateTimeException e) {
      throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
