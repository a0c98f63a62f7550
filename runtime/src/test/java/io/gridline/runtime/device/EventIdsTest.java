package io.gridline.runtime.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Event ids are contracts consumers deduplicate on: the expected ids below were produced by the two implementations
 * this class replaced (mqtt-bridge's {@code EventIds.v5(name)} and stream-processor's {@code EventIds.fromRecord}),
 * so a change of namespace or spelling fails here.
 */
class EventIdsTest {

  @Test
  void eventIdsAreNameBasedUuidV5() {
    var a = EventIds.fromRecord("gridline.telemetry.raw", 1, 42, "telemetry.decoded");
    assertEquals(a, EventIds.fromRecord("gridline.telemetry.raw", 1, 42, "telemetry.decoded"));
    assertEquals(5, a.version());
    assertEquals(2, a.variant());
    // RFC 4122 appendix example: v5(DNS namespace, "www.example.com")
    assertEquals("2ed6657d-e927-568b-95e1-2665a8aea6a2",
        EventIds.v5(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com").toString());
  }

  @Test
  void idsFromKafkaRecordsAreTheStreamProcessorsOfBefore() {
    assertEquals("74c48f5f-854e-5b79-a82d-91614e787c28",
        EventIds.fromRecord("gridline.telemetry.raw", 1, 42, "telemetry.decoded").toString());
    assertEquals("d90b06d3-8c26-5356-865a-4cf901873671",
        EventIds.fromRecord("gridline.telemetry.raw", 5, 9_000_000_000L, "telemetry.decoded").toString());
  }

  @Test
  void idsFromDeviceCausesAreTheMqttBridgesOfBefore() {
    assertEquals("59913f25-9382-5286-8d6a-9a8809d6cc61",
        EventIds.fromDevice(42, "test-node/f2-aabbccddee01/1700000000000", "device.online").toString());
    assertEquals("16545466-0b7e-5d54-ac62-282e0068bbbe",
        EventIds.fromDevice(7, "n/f2-0a1b2c3d4e5f/1", "device.offline").toString());
    // names are hashed as UTF-8
    assertEquals("ba36344e-7e16-5e2c-ab69-419f431e223d", EventIds.v5(EventIds.DEVICE_NAMESPACE, "ünïcode").toString());
  }
}
