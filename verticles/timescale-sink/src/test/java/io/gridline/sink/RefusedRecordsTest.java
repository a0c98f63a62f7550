package io.gridline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.ParkedHeaders;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.DecodedTelemetry.Value;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A record whose rows the database refuses must not hold its partition: the rest of its batch lands, the refused one
 * is parked on gridline.telemetry.parked with the reason, and the offsets move on.
 */
class RefusedRecordsTest {
  private static final long T0 = Instant.parse("2026-11-02T10:00:00.000Z").toEpochMilli();

  static {
    Metrics.addRegistry(new SimpleMeterRegistry());
  }

  private static DecodedTelemetry reading(long deviceId, long timestamp, double value) {
    return new DecodedTelemetry("00000000-0000-0000-0000-000000000001", deviceId, timestamp,
        List.of(new Value(1, "sensor-1.f1", value)));
  }

  @Test
  void aRecordTheDatabaseRefusesForGoodIsParkedAndTheRestOfItsBatchLands() {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      // the database refuses values over a billion for good (SQLSTATE 23514)
      SinkFixture.execute(f.sinkPgUrl, "ALTER TABLE decoded_data ADD CONSTRAINT sane CHECK (value < 1e9)");
      f.deploy(f.config().put("sink.linger-ms", 200));
      for (int i = 0; i < 100; i++) {
        f.send(reading(21, T0 + i, i == 37 ? 1e12 : i));
      }
      f.sendRaw("21", "not json".getBytes(StandardCharsets.UTF_8)); // malformed: parked too, never written
      f.flush();
      Waits.until("every record committed", 30_000, () -> f.committedRecords() == 101);
      assertEquals(99, f.count("SELECT count(*) FROM decoded_data WHERE device_id = 21"));
      List<ConsumerRecord<String, byte[]>> parked = f.parked();
      assertEquals(2, parked.size(), "the refused record and the malformed one");
      ConsumerRecord<String, byte[]> refused = parked.stream()
          .filter(r -> "permanent-error".equals(SinkFixture.header(r, ParkedHeaders.REASON))).findFirst().orElseThrow();
      assertEquals(Topics.TELEMETRY_DECODED, SinkFixture.header(refused, ParkedHeaders.SOURCE_TOPIC));
      assertEquals("timescale-sink", SinkFixture.header(refused, ParkedHeaders.PARKED_BY));
      assertTrue(SinkFixture.header(refused, ParkedHeaders.ERROR).contains("sane"));
      assertTrue(new String(refused.value(), StandardCharsets.UTF_8).contains("1.0E12"),
          "the parked value is the original record");
      assertTrue(parked.stream().anyMatch(r -> "malformed".equals(SinkFixture.header(r, ParkedHeaders.REASON))));
    }
  }

  @Test
  void aRecordTheDatabaseKeepsFailingIsParkedAfterMaxAttempts() {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      SinkFixture.execute(f.sinkPgUrl, "CREATE FUNCTION refuse_22() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          + "IF NEW.device_id = 22 AND NEW.value = 7 THEN RAISE EXCEPTION 'not today'; END IF; RETURN NEW; END $$");
      SinkFixture.execute(f.sinkPgUrl,
          "CREATE TRIGGER refuse_22 BEFORE INSERT ON decoded_data FOR EACH ROW EXECUTE FUNCTION refuse_22()");
      f.deploy(f.config().put("sink.max-attempts", 3));
      for (int i = 0; i < 20; i++) {
        f.send(reading(22, T0 + i, i));
      }
      f.flush();
      Waits.until("every record committed", 30_000, () -> f.committedRecords() == 20);
      assertEquals(19, f.count("SELECT count(*) FROM decoded_data WHERE device_id = 22"));
      List<ConsumerRecord<String, byte[]>> parked = f.parked();
      assertEquals(1, parked.size());
      assertEquals("attempts-exhausted", SinkFixture.header(parked.get(0), ParkedHeaders.REASON));
      assertTrue(SinkFixture.header(parked.get(0), ParkedHeaders.ERROR).contains("not today"));
    }
  }
}
