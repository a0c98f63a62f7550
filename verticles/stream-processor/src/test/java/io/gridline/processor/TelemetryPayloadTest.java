package io.gridline.processor;

import io.gridline.runtime.telemetry.Rejection;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The device payload reader: what it accepts, and the reason it gives for what it refuses. */
class TelemetryPayloadTest {
  private static final long NOW = Instant.parse("2026-11-26T12:00:00Z").toEpochMilli();

  private static TelemetryPayload parse(String json) {
    return TelemetryPayload.parse(json.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void readsRfc3339AndEpochMillis() {
    TelemetryPayload a = parse("{\"timestamp\":\"2026-11-26T10:00:00.123Z\",\"data\":\"00D7024E01F4\"}");
    assertEquals(Instant.parse("2026-11-26T10:00:00.123Z").toEpochMilli(), a.timestamp());
    assertArrayEquals(new byte[] {0x00, (byte) 0xD7, 0x02, 0x4E, 0x01, (byte) 0xF4}, a.data());
    TelemetryPayload b = parse("{\"data\":\" 00d7 \",\"timestamp\":1795000000000}");
    assertEquals(1_795_000_000_000L, b.timestamp());
    assertArrayEquals(new byte[] {0x00, (byte) 0xD7}, b.data());
    assertEquals(Instant.parse("2026-11-26T09:00:00Z").toEpochMilli(),
        parse("{\"timestamp\":\"2026-11-26T10:00:00+01:00\",\"data\":\"00\"}").timestamp());
  }

  @Test
  void acceptsWhatJsonObjectAccepts() {
    // comments, unknown and nested fields, the last of repeated keys
    TelemetryPayload p = parse("{/* c */\"x\":{\"a\":[1,{\"b\":2}]},\"timestamp\":1,\"timestamp\":1795000000000,"
        + "// line\n\"data\":\"zz\",\"data\":\"0a0B\"}");
    assertEquals(1_795_000_000_000L, p.timestamp());
    assertArrayEquals(new byte[] {0x0a, 0x0b}, p.data());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not json|invalid-json",
      "[1,2]|invalid-json",
      "{\"timestamp\":1795000000000,\"data\":\"00\"} trailing|invalid-json",
      "{\"timestamp\":1795000000000,\"data\":\"00\"|invalid-json",
      "{\"data\":\"00\"}|missing-timestamp",
      "{\"timestamp\":null,\"data\":\"00\"}|missing-timestamp",
      "{\"timestamp\":1795000000000.5,\"data\":\"00\"}|bad-timestamp",
      "{\"timestamp\":true,\"data\":\"00\"}|bad-timestamp",
      "{\"timestamp\":{\"t\":1},\"data\":\"00\"}|bad-timestamp",
      "{\"timestamp\":\"yesterday\",\"data\":\"00\"}|bad-timestamp",
      "{\"timestamp\":\"2026-02-30T10:00:00Z\",\"data\":\"00\"}|bad-timestamp",
      "{\"timestamp\":1795000000,\"data\":\"00\"}|bad-timestamp",
      "{\"timestamp\":99999999999999999999999,\"data\":\"00\"}|bad-timestamp",
      // 2^64 + 1795000000000: its low 64 bits are a plausible time
      "{\"timestamp\":18446745868709551616,\"data\":\"00\"}|bad-timestamp",
      "{\"timestamp\":\"\\u0000\",\"data\":\"00D7024E01F4\"}|bad-timestamp",
      "{\"timestamp\":\"+999999999-12-31T23:59:59Z\",\"data\":\"00\"}|bad-timestamp",
      "{\"timestamp\":1795000000000}|bad-hex",
      "{\"timestamp\":1795000000000,\"data\":12}|bad-hex",
      "{\"timestamp\":1795000000000,\"data\":\"0g\"}|bad-hex",
      "{\"timestamp\":1795000000000,\"data\":\"012\"}|bad-hex",
  })
  void refusesWithTheReason(String json, String reason) {
    Rejection r = assertThrows(Rejection.class, () -> parse(json));
    assertEquals(reason, r.reason());
  }
}
