package io.gridline.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.contracts.events.DeviceEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class KafkaRecordsTest {

  @Test
  void aRecordCarriesItsCodecsJsonAndSchemaHeader() {
    DeviceEvent e = new DeviceEvent("0f8fad5b-d9cb-469f-a165-70867728950e", DeviceEvent.Types.DEVICE_ONLINE, "t1", 7,
        "mqtt", 1764144000123L, new JsonObject().put("clientId", "f2-aabbccddee01"));
    var record = KafkaRecords.of("gridline.events", "7", KafkaCodecs.DEVICE_EVENT, e);
    assertEquals("gridline.events", record.topic());
    assertEquals("7", record.key());
    assertEquals(KafkaCodecs.DEVICE_EVENT.encode(e), record.value());
    assertEquals(1, record.headers().size());
    assertEquals(KafkaJsonCodec.SCHEMA_HEADER, record.headers().get(0).key());
    assertEquals(KafkaCodecs.DEVICE_EVENT.schemaVersion(), record.headers().get(0).value().toString());
  }
}
