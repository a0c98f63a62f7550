package io.gridline.processor;

import static io.gridline.testkit.Waits.await;
import static io.gridline.processor.ProcessorFixture.payload;
import static io.gridline.processor.ProcessorFixture.randomMac;
import static io.gridline.processor.ProcessorFixture.topic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.codecs.Codecs;
import io.gridline.contracts.ParkedHeaders;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records the database refuses must not stall the stream: a NUL a device put in its payload is stripped before it
 * reaches a text column, a deterministic refusal parks the record at once, any other refusal after
 * {@code processor.max-attempts}; the partition's offsets move past them either way.
 */
class PoisonRecordTest {
  private ProcessorFixture fx;
  private UUID tenant;

  @BeforeEach
  void start() throws Exception {
    Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    fx = new ProcessorFixture();
    Codecs.registerAll(fx.vertx);
    tenant = fx.tenant();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private double inFlight() {
    return Metrics.globalRegistry.find("gridline.processor.in.flight").gauge().value();
  }

  @Test
  void aNulInTheTimestampIsDeadLetteredWithoutItAndTheOffsetsMovePastIt() {
    fx.deploy();
    String mac = randomMac();
    long id = fx.device(tenant, mac, new JsonObject());
    String t = topic(mac, 1, 2);
    // the reproduction: an authenticated device publishes {"timestamp":"\u0000","data":"00D7024E01F4"}
    byte[] poison = "{\"timestamp\":\"\\u0000\",\"data\":\"00D7024E01F4\"}".getBytes(StandardCharsets.UTF_8);
    long base = System.currentTimeMillis() - 60_000;
    for (int i = 0; i < 20; i++) {
      fx.publish(mac, t, poison);
    }
    RecordMetadata last = fx.publish(mac, t, payload(base, "00CA024E01F4"));

    fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, 1);
    Waits.until("offsets committed past the poison records", 30_000, () -> fx.committedOffset(last) > last.offset());
    Row row = await(fx.db.preparedQuery("SELECT detail, count(*) OVER () AS n FROM telemetry_dlq WHERE mac = $1 LIMIT 1")
        .execute(Tuple.of(mac))).iterator().next();
    assertTrue(row.getLong("n") >= 20, "every poison record has its dead letter: " + row.getLong("n"));
    assertEquals("\"timestamp\" is not RFC 3339: ", row.getString("detail"));
    assertFalse(row.getString("detail").contains("\u0000"));
    Waits.until("nothing left in flight", 10_000, () -> inFlight() == 0);
    assertTrue(fx.records(Topics.TELEMETRY_PARKED).stream().noneMatch(r -> mac.equals(r.key())),
        "a dead letter that can be stored is not parked");
  }

  @Test
  void aDeadLetterTheDatabaseRefusesForGoodIsParkedAtOnce() {
    // the database refuses these rows deterministically (SQLSTATE 23514, a check violation)
    await(fx.db.query("ALTER TABLE telemetry_dlq ADD CONSTRAINT no_bad_hex CHECK (reason <> 'bad-hex')").execute());
    fx.deploy();
    String mac = randomMac();
    long id = fx.device(tenant, mac, new JsonObject());
    String t = topic(mac, 1, 2);
    long base = System.currentTimeMillis() - 60_000;
    RecordMetadata bad = fx.publish(mac, t, payload(base, "00ZZ"));
    RecordMetadata last = fx.publish(mac, t, payload(base + 1, "00CA024E01F4"));

    fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, 1);
    ConsumerRecord<String, byte[]> parked = awaitParked(mac);
    assertEquals(Topics.TELEMETRY_RAW, header(parked, ParkedHeaders.SOURCE_TOPIC));
    assertEquals(String.valueOf(bad.partition()), header(parked, ParkedHeaders.SOURCE_PARTITION));
    assertEquals(String.valueOf(bad.offset()), header(parked, ParkedHeaders.SOURCE_OFFSET));
    assertEquals("permanent-error", header(parked, ParkedHeaders.REASON));
    assertEquals("1", header(parked, ParkedHeaders.ATTEMPTS));
    assertEquals("stream-processor", header(parked, ParkedHeaders.PARKED_BY));
    assertTrue(header(parked, ParkedHeaders.ERROR).contains("no_bad_hex"), header(parked, ParkedHeaders.ERROR));
    // the parked value is the raw record as it was read: producing it again to the raw topic replays it
    JsonObject raw = new JsonObject(new String(parked.value(), StandardCharsets.UTF_8));
    assertEquals(mac, raw.getString("mac"));
    Waits.until("offsets committed past the parked record", 30_000, () -> fx.committedOffset(last) > last.offset());
    Waits.until("nothing left in flight", 10_000, () -> inFlight() == 0);
    assertEquals(1.0, Metrics.globalRegistry.find("gridline.parked").tag("reason", "permanent-error").counter().count());
    assertEquals(Reasons.BAD_HEX, fx.await(Topics.TELEMETRY_DLQ, j -> mac.equals(j.getString("mac")), 1).get(0)
        .getString("reason"), "the Kafka dead letter went out before the table refused its row");
  }

  @Test
  void aRecordThatKeepsFailingIsParkedAfterMaxAttempts() {
    // a trigger that fails the row with an error that might pass (SQLSTATE P0001): bounded attempts, then parked
    await(fx.db.query("CREATE FUNCTION refuse_dlq() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "RAISE EXCEPTION 'dead letters are refused today'; END $$").execute());
    await(fx.db.query("CREATE TRIGGER refuse_dlq BEFORE INSERT ON telemetry_dlq FOR EACH ROW EXECUTE FUNCTION refuse_dlq()")
        .execute());
    fx.deploy(fx.config().put("processor.max-attempts", 3));
    String mac = randomMac();
    long id = fx.device(tenant, mac, new JsonObject());
    String t = topic(mac, 1, 2);
    long base = System.currentTimeMillis() - 60_000;
    fx.publish(mac, t, payload(base, "00D7"));                        // short-payload → a dead letter the table refuses
    RecordMetadata last = fx.publish(mac, t, payload(base + 1, "00CA024E01F4"));

    fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, 1);
    ConsumerRecord<String, byte[]> parked = awaitParked(mac);
    assertEquals("attempts-exhausted", header(parked, ParkedHeaders.REASON));
    assertEquals("3", header(parked, ParkedHeaders.ATTEMPTS));
    assertTrue(header(parked, ParkedHeaders.ERROR).contains("dead letters are refused today"));
    Waits.until("offsets committed past the parked record", 30_000, () -> fx.committedOffset(last) > last.offset());
    Waits.until("nothing left in flight", 10_000, () -> inFlight() == 0);
  }

  @Test
  void theDeadLetterTableKeepsTheNewestRowsOfEachTenant() {
    fx.deploy(fx.config().put("processor.dlq-max-rows-per-tenant", 5));
    String mac = randomMac();
    fx.device(tenant, mac, new JsonObject());
    String t = topic(mac, 1, 2);
    RecordMetadata last = null;
    for (int i = 0; i < 30; i++) {
      last = fx.publish(mac, t, payload(System.currentTimeMillis() - 60_000, "0" + i)); // odd hex: bad-hex
    }
    RecordMetadata end = last;
    Waits.until("offsets committed past the dead letters", 30_000, () -> fx.committedOffset(end) > end.offset());
    Waits.until("the tenant's rows cut to the newest 5", 10_000, () -> await(fx.db.preparedQuery(
        "SELECT count(*) FROM telemetry_dlq WHERE tenant_id = $1").execute(Tuple.of(tenant))).iterator().next()
        .getLong(0) == 5);
    var kept = await(fx.db.preparedQuery("SELECT detail FROM telemetry_dlq WHERE tenant_id = $1 ORDER BY id")
        .execute(Tuple.of(tenant)));
    assertEquals(5, kept.size());
  }

  private ConsumerRecord<String, byte[]> awaitParked(String mac) {
    Waits.until("the record parked", 30_000,
        () -> fx.records(Topics.TELEMETRY_PARKED).stream().anyMatch(r -> mac.equals(r.key())));
    return fx.records(Topics.TELEMETRY_PARKED).stream().filter(r -> mac.equals(r.key())).findFirst().orElseThrow();
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
