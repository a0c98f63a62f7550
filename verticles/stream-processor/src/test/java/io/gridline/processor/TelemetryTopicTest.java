package io.gridline.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import io.gridline.runtime.telemetry.Rejection;
import org.junit.jupiter.api.Test;

class TelemetryTopicTest {
  @Test
  void topicsAndPayloadsAreChecked() {
    TelemetryTopic t = TelemetryTopic.parse("tele/f2-AABBCCDDEE01/sensor-mode/2/sensor-16");
    assertEquals(new TelemetryTopic("aa:bb:cc:dd:ee:01", 2, 16), t);
    assertEquals("sensor-16.power", t.label("power"));
    assertEquals(Reasons.UNKNOWN_MODE, assertThrows(Rejection.class,
        () -> TelemetryTopic.parse("stat/f2-aabbccddee01/sensor-mode/1/sensor-17")).reason());
    long now = System.currentTimeMillis();
    assertEquals(1_700_000_000_123L, TelemetryPayload.parse("{\"timestamp\":1700000000123,\"data\":\"00\"}".getBytes(), now).timestamp());
    assertEquals(1_700_000_000_123L,
        TelemetryPayload.parse("{\"timestamp\":\"2023-11-14T22:13:20.123Z\",\"data\":\"00\"}".getBytes(), now).timestamp());
    assertEquals(Reasons.BAD_TIMESTAMP, assertThrows(Rejection.class,
        () -> TelemetryPayload.parse("{\"timestamp\":1700000000,\"data\":\"00\"}".getBytes(), now)).reason());
    assertEquals(Reasons.BAD_HEX, assertThrows(Rejection.class,
        () -> TelemetryPayload.parse("{\"timestamp\":1700000000123,\"data\":\"0\"}".getBytes(), now)).reason());
    assertEquals(Reasons.INVALID_JSON, assertThrows(Rejection.class,
        () -> TelemetryPayload.parse("[1]".getBytes(), now)).reason());
  }
}
