package io.gridline.processor;

import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * A controller's publish: {@code {"timestamp": RFC 3339 or epoch ms, "data": "<hex>"}}. The timestamp is mandatory and
 * must be plausible: it keys the reading in the sink, so a wrong one would store it at the wrong time (or twice).
 */
record TelemetryPayload(long timestamp, byte[] data) {
  /** Epoch seconds sent as milliseconds land in 1970: anything before 2000 is a unit mistake. */
  static final long EARLIEST = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
  static final long MAX_AHEAD_MS = Duration.ofDays(1).toMillis();

  /** @throws Rejection with the reason the payload is unusable */
  static TelemetryPayload parse(byte[] payload, long nowMillis) {
    JsonObject json;
    try {
      json = new JsonObject(Buffer.buffer(payload));
    } catch (RuntimeException e) {
      throw new Rejection(Reasons.INVALID_JSON, "payload is not a JSON object");
    }
    long timestamp = timestamp(json.getValue("timestamp"), nowMillis);
    Object data = json.getValue("data");
    if (!(data instanceof String hex)) {
      throw new Rejection(Reasons.BAD_HEX, "\"data\" must be a string of hex digits");
    }
    try {
      return new TelemetryPayload(timestamp, HexFormat.of().parseHex(hex.trim()));
    } catch (IllegalArgumentException e) {
      throw new Rejection(Reasons.BAD_HEX, "\"data\" is not an even number of hex digits");
    }
  }

  private static long timestamp(Object value, long nowMillis) {
    long millis;
    if (value == null) {
      throw new Rejection(Reasons.MISSING_TIMESTAMP, "\"timestamp\" is missing");
    } else if (value instanceof Number n) {
      if (n instanceof Double || n instanceof Float) {
        throw new Rejection(Reasons.BAD_TIMESTAMP, "\"timestamp\" must be whole epoch milliseconds: " + n);
      }
      millis = n.longValue();
    } else if (value instanceof String s) {
      try {
        millis = OffsetDateTime.parse(s).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new Rejection(Reasons.BAD_TIMESTAMP, "\"timestamp\" is not RFC 3339: " + s);
      }
    } else {
      throw new Rejection(Reasons.BAD_TIMESTAMP, "\"timestamp\" must be RFC 3339 text or epoch milliseconds");
    }
    if (millis < EARLIEST) {
      throw new Rejection(Reasons.BAD_TIMESTAMP, "\"timestamp\" is before 2000 (epoch seconds sent as milliseconds?)");
    }
    if (millis > nowMillis + MAX_AHEAD_MS) {
      throw new Rejection(Reasons.BAD_TIMESTAMP, "\"timestamp\" is more than a day ahead");
    }
    return millis;
  }
}
