package io.gridline.processor;

import io.gridline.runtime.telemetry.Rejection;
import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.gridline.codecs.Rfc3339;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A controller's publish: {@code {"timestamp": RFC 3339 or epoch ms, "data": "<hex>"}}. The timestamp is mandatory and
 * must be plausible: it keys the reading in the sink, so a wrong one would store it at the wrong time (or twice).
 */
record TelemetryPayload(long timestamp, byte[] data) {
  /** Epoch seconds sent as milliseconds land in 1970: anything before 2000 is a unit mistake. */
  static final long EARLIEST = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
  static final long MAX_AHEAD_MS = Duration.ofDays(1).toMillis();

  /** Reads device payloads as {@code new JsonObject(buffer)} would ({@code //} and block comments allowed). */
  private static final JsonFactory JSON = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();

  /** @throws Rejection with the reason the payload is unusable */
  static TelemetryPayload parse(byte[] payload, long nowMillis) {
    Object timestamp = null;
    Object data = null;
    // One streaming pass over the whole object first (invalid JSON anywhere is invalid-json), keeping the last value
    // of each key as JsonObject would; then the checks, in the same order as before.
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new Rejection(Reasons.INVALID_JSON, "payload is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if ("timestamp".equals(name)) {
          timestamp = scalar(p, t);
        } else if ("data".equals(name)) {
          data = scalar(p, t);
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new Rejection(Reasons.INVALID_JSON, "payload is not a JSON object");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof Rejection r) {
        throw r;
      }
      throw new Rejection(Reasons.INVALID_JSON, "payload is not a JSON object");
    }
    long millis = timestamp(timestamp, nowMillis);
    if (!(data instanceof String hex)) {
      throw new Rejection(Reasons.BAD_HEX, "\"data\" must be a string of hex digits");
    }
    try {
      return new TelemetryPayload(millis, HexFormat.of().parseHex(hex.trim()));
    } catch (IllegalArgumentException e) {
      throw new Rejection(Reasons.BAD_HEX, "\"data\" is not an even number of hex digits");
    }
  }

  /** The value at {@code t} as JsonObject#getValue would type it; objects and arrays become a marker (skipped). */
  private static Object scalar(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          ? (Object) p.getBigIntegerValue() : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
      case VALUE_NULL -> null;
      default -> {
        p.skipChildren();
        yield Boolean.FALSE; // a structure: neither text nor a number
      }
    };
  }

  private static long timestamp(Object value, long nowMillis) {
    long millis;
    if (value == null) {
      throw new Rejection(Reasons.MISSING_TIMESTAMP, "\"timestamp\" is missing");
    } else if (value instanceof Number n) {
      if (n instanceof Double || n instanceof Float) {
        throw new Rejection(Reasons.BAD_TIMESTAMP, "\"timestamp\" must be whole epoch milliseconds: " + n);
      }
      if (n instanceof java.math.BigInteger) {
        // longValue() would keep the low 64 bits: 2^64 + a plausible time would pass as that time
        throw new Rejection(Reasons.BAD_TIMESTAMP, "\"timestamp\" is out of range");
      }
      millis = n.longValue();
    } else if (value instanceof String s) {
      try {
        millis = Rfc3339.parse(s);
      } catch (DateTimeException | ArithmeticException e) {
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
