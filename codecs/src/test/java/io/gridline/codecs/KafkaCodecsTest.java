package io.gridline.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridline.contracts.events.DeviceEvent;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.gridline.contracts.telemetry.TelemetryRejected;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaCodecsTest {
  private static final long T = 1764144000123L; // 2025-11-26T08:00:00.123Z

  @Test
  void rawTelemetryIsTheDocumentedJson() {
    RawTelemetry raw = new RawTelemetry("t1", 7, "aa:bb:cc:dd:ee:01", "stat/f2-aabbccddee01/sensor-mode/1/sensor-1",
        "f2-aabbccddee01", 1, new byte[] {1, 2, (byte) 0xff}, T);
    JsonObject json = KafkaCodecs.RAW_TELEMETRY.toJson(raw);
    assertEquals("AQL/", json.getString("payload"));
    assertEquals("2025-11-26T08:00:00.123Z", json.getString("receivedAt"));
    RawTelemetry back = KafkaCodecs.RAW_TELEMETRY.decode(KafkaCodecs.RAW_TELEMETRY.encode(raw));
    assertArrayEquals(raw.payload(), back.payload());
    assertEquals(raw.topic(), back.topic());
    assertEquals(raw.receivedAt(), back.receivedAt());
    assertEquals(raw.deviceId(), back.deviceId());
  }

  @Test
  void decodedTelemetryAndEventsRoundTrip() {
    DecodedTelemetry d = new DecodedTelemetry("t1", 7, T,
        List.of(new DecodedTelemetry.Value(1, "sensor-1.temperature", 21.5), new DecodedTelemetry.Value(2, "sensor-1.co2", 500)));
    assertEquals(d, KafkaCodecs.DECODED_TELEMETRY.decode(KafkaCodecs.DECODED_TELEMETRY.encode(d)));
    DeviceEvent e = new DeviceEvent("0f8fad5b-d9cb-469f-a165-70867728950e", DeviceEvent.Types.DEVICE_ONLINE, "t1", 7,
        "mqtt", T, new JsonObject().put("clientId", "f2-aabbccddee01"));
    assertEquals(e, KafkaCodecs.DEVICE_EVENT.decode(KafkaCodecs.DEVICE_EVENT.encode(e)));
    TelemetryRejected r = new TelemetryRejected(null, "aa:bb:cc:dd:ee:01", TelemetryRejected.Reasons.BAD_HEX, "odd length",
        "stat/x", new byte[] {'{'}, T);
    TelemetryRejected back = KafkaCodecs.TELEMETRY_REJECTED.decode(KafkaCodecs.TELEMETRY_REJECTED.encode(r));
    assertEquals(r.reason(), back.reason());
    assertArrayEquals(r.payload(), back.payload());
  }

  @Test
  void malformedValuesAreRejectedWithAReason() {
    var notJson = assertThrows(IllegalArgumentException.class,
        () -> KafkaCodecs.DECODED_TELEMETRY.decode(Buffer.buffer("{nope")));
    assertEquals(true, notJson.getMessage().startsWith("not a JSON object"));
    assertThrows(IllegalArgumentException.class,
        () -> KafkaCodecs.DECODED_TELEMETRY.decode(Buffer.buffer("{\"tenantId\":\"t\",\"deviceId\":1}")));
  }
}
