package io.gridline.processor;

import io.gridline.runtime.telemetry.DatapointIndex;
import static io.gridline.testkit.Waits.await;
import static io.gridline.processor.ProcessorFixture.payload;
import static io.gridline.processor.ProcessorFixture.randomMac;
import static io.gridline.processor.ProcessorFixture.topic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.codecs.Codecs;
import io.gridline.codecs.Rfc3339;
import io.gridline.contracts.Topics;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryAddresses;
import io.gridline.contracts.registry.RegistryCacheKeys;
import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.device.EventIds;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verticle against real Kafka, PostgreSQL and Redis: what goes in as raw records, what comes out. */
class StreamProcessorTest {
  private static ProcessorFixture fx;
  private static UUID tenant;

  @BeforeAll
  static void start() throws Exception {
    Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    fx = new ProcessorFixture();
    Codecs.registerAll(fx.vertx);
    tenant = fx.tenant();
    fx.deploy();
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static JsonObject valueOf(JsonObject decoded, String label) {
    for (Object o : decoded.getJsonArray("values")) {
      JsonObject v = (JsonObject) o;
      if (v.getString("label").equals(label)) {
        return v;
      }
    }
    throw new AssertionError("no " + label + " in " + decoded);
  }

  @Test
  void decodesTheFaces2ExampleExactly() {
    String mac = randomMac();
    long id = fx.device(tenant, mac, new JsonObject());
    long ts = now() - 1000;
    fx.publish(mac, topic(mac, 1, 1), payload(Rfc3339.format(ts), "00D7024E01F4"));

    JsonObject d = fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, 1).get(0);
    assertEquals(tenant.toString(), d.getString("tenantId"));
    assertEquals(Rfc3339.format(ts), d.getString("timestamp"));
    JsonArray values = d.getJsonArray("values");
    assertEquals(3, values.size());
    assertEquals(21.5, valueOf(d, "sensor-1.temperature").getDouble("value"));
    assertEquals(59.0, valueOf(d, "sensor-1.humidity").getDouble("value"));
    assertEquals(500.0, valueOf(d, "sensor-1.co2").getDouble("value"));
    // the JSON text itself carries no binary noise
    ConsumerRecord<String, byte[]> rec = fx.records(Topics.TELEMETRY_DECODED).stream()
        .filter(r -> r.key().equals(String.valueOf(id))).findFirst().orElseThrow();
    String text = new String(rec.value(), StandardCharsets.UTF_8);
    assertTrue(text.contains("\"value\":21.5") && text.contains("\"value\":59.0"), text);
    assertEquals("1", new String(rec.headers().lastHeader("schema").value(), StandardCharsets.UTF_8));
    Row dp = await(fx.db.preparedQuery("SELECT id, unit FROM datapoints WHERE label = 'sensor-1.temperature'").execute())
        .iterator().next();
    assertEquals(dp.getInteger("id"), valueOf(d, "sensor-1.temperature").getInteger("datapointId"));
    assertEquals("°C", dp.getString("unit"));

    JsonObject event = fx.await(Topics.EVENTS, j -> j.getLong("deviceId") == id, 1).get(0);
    assertEquals(DeviceEvent.Types.TELEMETRY_DECODED, event.getString("type"));
    assertEquals("mqtt", event.getString("deviceKind"));
    assertEquals(tenant.toString(), event.getString("tenantId"));

    CheckResult ready = await(Readiness.of(fx.vertx).checks().checkStatus(StreamProcessorVerticle.READINESS_CHECK));
    assertTrue(ready.getUp(), "ready once partitions are assigned");
  }

  @Test
  void decodesMode2WithRoundedScales() {
    String mac = randomMac();
    long id = fx.device(tenant, mac, new JsonObject().put("model", "faces2"));
    // 2300 × 0.1 V, 1234 × 0.001 A, 123456 × 0.1 W; epoch-millisecond timestamp
    fx.publish(mac, topic(mac, 2, 3), payload(now(), "08FC04D20001E240"));
    JsonObject d = fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, 1).get(0);
    assertEquals(230.0, valueOf(d, "sensor-3.voltage").getDouble("value"));
    assertEquals(1.234, valueOf(d, "sensor-3.current").getDouble("value"));
    assertEquals(12345.6, valueOf(d, "sensor-3.power").getDouble("value"));
  }

  /** The device's dead letters, one per (reason, payload, topic): repeats of a record handled twice dropped. */
  private List<JsonObject> distinctDeadLetters(String mac) {
    Map<String, JsonObject> distinct = new java.util.LinkedHashMap<>();
    fx.values(Topics.TELEMETRY_DLQ, j -> mac.equals(j.getString("mac")))
        .forEach(j -> distinct.putIfAbsent(j.getString("reason") + "|" + j.getString("payload") + "|" + j.getString("topic"), j));
    return new java.util.ArrayList<>(distinct.values());
  }

  @Test
  void everyRejectionReasonGoesToTheDlqWhileGoodMessagesAroundItDecode() {
    String mac = randomMac();
    long id = fx.device(tenant, mac, new JsonObject());
    String t1 = topic(mac, 1, 2);
    long base = now() - 60_000;
    Map<String, byte[]> bad = new HashMap<>();
    bad.put(Reasons.INVALID_JSON, "{not json".getBytes(StandardCharsets.UTF_8));
    bad.put(Reasons.BAD_HEX, payload(base, "00ZZ"));
    bad.put(Reasons.SHORT_PAYLOAD, payload(base, "00D7"));
    bad.put(Reasons.MISSING_TIMESTAMP, new JsonObject().put("data", "00D7024E01F4").encode().getBytes(StandardCharsets.UTF_8));
    int good = 0;
    fx.publish(mac, t1, payload(base + good++, "00CA024E01F4"));
    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
      fx.publish(mac, t1, e.getValue());
      fx.publish(mac, t1, payload(base + good++, "00CA024E01F4"));
    }
    fx.publish(mac, topic(mac, 9, 2), payload(base, "00D7024E01F4"));                    // unknown-mode
    fx.publish(mac, t1, payload("yesterday-ish", "00D7024E01F4"));                       // bad-timestamp: unparsable
    fx.publish(mac, t1, payload(now() / 1000, "00D7024E01F4"));                          // bad-timestamp: seconds as ms
    fx.publish(mac, t1, payload(now() + 2 * 86_400_000L, "00D7024E01F4"));               // bad-timestamp: 2 days ahead
    fx.publish(mac, t1, payload(base + good++, "00CA024E01F4"));
    String unknownMac = randomMac();
    fx.publish(unknownMac, topic(unknownMac, 1, 1), payload(base, "00D7024E01F4"));   // unknown-device

    List<JsonObject> decoded = fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, good);
    decoded.forEach(d -> assertEquals(20.2, valueOf(d, "sensor-2.temperature").getDouble("value")));
    // at least once: a record handled again (a rebalance before its offset was committed) repeats its dead letter, so
    // wait for 8 distinct ones rather than the first 8
    Waits.until("8 distinct dead letters", 30_000, () -> distinctDeadLetters(mac).size() >= 8);
    List<JsonObject> dlq = distinctDeadLetters(mac);
    Map<String, Integer> reasons = new HashMap<>();
    dlq.forEach(j -> reasons.merge(j.getString("reason"), 1, Integer::sum));
    assertEquals(Set.of(Reasons.INVALID_JSON, Reasons.BAD_HEX, Reasons.SHORT_PAYLOAD, Reasons.MISSING_TIMESTAMP,
        Reasons.UNKNOWN_MODE, Reasons.BAD_TIMESTAMP), reasons.keySet());
    assertEquals(3, reasons.get(Reasons.BAD_TIMESTAMP));
    dlq.forEach(j -> assertEquals(tenant.toString(), j.getString("tenantId")));
    JsonObject unknown = fx.await(Topics.TELEMETRY_DLQ, j -> unknownMac.equals(j.getString("mac")), 1).get(0);
    assertEquals(Reasons.UNKNOWN_DEVICE, unknown.getString("reason"));
    assertNull(unknown.getString("tenantId"));

    // the rows are written before the offset is committed, so they are there once the records are
    Map<String, Integer> rows = new HashMap<>();
    await(fx.db.preparedQuery("SELECT reason, tenant_id FROM telemetry_dlq WHERE mac = $1").execute(Tuple.of(mac)))
        .forEach(r -> {
          rows.merge(r.getString("reason"), 1, Integer::sum);
          assertEquals(tenant, r.getUUID("tenant_id"));
        });
    assertEquals(reasons.keySet(), rows.keySet());
    assertEquals(1, await(fx.db.preparedQuery("SELECT count(*) FROM telemetry_dlq WHERE mac = $1 AND tenant_id IS NULL")
        .execute(Tuple.of(unknownMac))).iterator().next().getLong(0));
    double counted = Metrics.globalRegistry.find("gridline.processor.rejected").tag("reason", Reasons.BAD_TIMESTAMP)
        .counter().count();
    assertTrue(counted >= 3, "rejections counted by reason: " + counted);
  }

  @Test
  void aNewLabelBecomesOneDatapointUnderConcurrentProcessing() {
    // eight devices spread over the partitions all report a sensor index nobody used before
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String mac = randomMac();
      ids.add(fx.device(tenant, mac, new JsonObject()));
      fx.publish(mac, topic(mac, 1, 16), payload(now(), "00D7024E01F4"));
    }
    List<JsonObject> decoded = fx.await(Topics.TELEMETRY_DECODED, j -> ids.contains(j.getLong("deviceId")), 8);
    Set<Integer> dps = new HashSet<>();
    decoded.forEach(d -> dps.add(valueOf(d, "sensor-16.temperature").getInteger("datapointId")));
    assertEquals(1, dps.size());
    assertEquals(1L, await(fx.db.query("SELECT count(*) FROM datapoints WHERE label = 'sensor-16.temperature'").execute())
        .iterator().next().getLong(0));
  }

  @Test
  void datapointIndexesRacingOnTheDatabaseInsertEachLabelOnce() {
    DatapointIndex a = new DatapointIndex(fx.db);
    DatapointIndex b = new DatapointIndex(fx.db);
    List<io.vertx.core.Future<Integer>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String label = "race-" + i + ".field";
      all.add(a.idOf(label, "x"));
      all.add(b.idOf(label, "x"));
    }
    await(io.vertx.core.Future.all(all));
    for (int i = 0; i < 20; i++) {
      assertEquals(all.get(2 * i).result(), all.get(2 * i + 1).result());
    }
    assertEquals(20L, await(fx.db.query("SELECT count(*) FROM datapoints WHERE label LIKE 'race-%'").execute())
        .iterator().next().getLong(0));
  }

  @Test
  void aRegistryChangeReachesTheNextMessage() {
    String mac = randomMac();
    long id = fx.device(tenant, mac, new JsonObject());
    String t = topic(mac, 1, 4);
    fx.publish(mac, t, payload(now() - 3000, "00D7024E01F4"));
    fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, 1);

    // the operator adds a model and moves the device to it: what the api does on PUT /devices/{id}
    String model = "alt-" + UUID.randomUUID().toString().substring(0, 8);
    await(fx.db.preparedQuery("INSERT INTO sensor_fields (model, mode, field, byte_offset, type, endian, scale, unit) "
        + "VALUES ($1, 1, 'level', 0, 'uint16', 'little', 0.01, 'm')").execute(Tuple.of(model)));
    await(fx.db.preparedQuery("UPDATE devices SET metadata = $2 WHERE id = $1")
        .execute(Tuple.of(id, new JsonObject().put("model", model))));
    RedisAPI redis = RedisAPI.api(Redis.createClient(fx.vertx, fx.redisUrl));
    await(redis.del(List.of(RegistryCacheKeys.device("mqtt", mac))));
    fx.vertx.eventBus().publish(RegistryAddresses.DEVICE_CHANGED,
        new DeviceChanged(id, tenant.toString(), "mqtt", mac, DeviceChanged.Change.UPDATED));
    Waits.sleep(200);
    fx.publish(mac, t, payload(now() - 2000, "D204"));
    JsonObject d = fx.await(Topics.TELEMETRY_DECODED,
        j -> j.getLong("deviceId") == id && j.getJsonArray("values").size() == 1, 1).get(0);
    assertEquals(12.34, valueOf(d, "sensor-4.level").getDouble("value"));

    await(fx.db.preparedQuery("DELETE FROM devices WHERE id = $1").execute(Tuple.of(id)));
    await(redis.del(List.of(RegistryCacheKeys.device("mqtt", mac))));
    fx.vertx.eventBus().publish(RegistryAddresses.DEVICE_CHANGED,
        new DeviceChanged(id, tenant.toString(), "mqtt", mac, DeviceChanged.Change.DELETED));
    Waits.sleep(200);
    fx.publish(mac, t, payload(now() - 1000, "D204"));
    JsonObject rejected = fx.await(Topics.TELEMETRY_DLQ, j -> mac.equals(j.getString("mac")), 1).get(0);
    assertEquals(Reasons.UNKNOWN_DEVICE, rejected.getString("reason"));
  }

  @Test
  void eventsAreRateLimitedPerDevice() {
    String mac = randomMac();
    long id = fx.device(tenant, mac, new JsonObject());
    for (int i = 0; i < 5; i++) {
      fx.publish(mac, topic(mac, 1, 5), payload(now() - 10_000 + i, "00D7024E01F4"));
    }
    fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, 5);
    Waits.sleep(300);
    assertEquals(1, fx.values(Topics.EVENTS, j -> j.getLong("deviceId") == id).size());
    Waits.sleep(ProcessorFixture.EVENT_INTERVAL_MS);
    fx.publish(mac, topic(mac, 1, 5), payload(now(), "00D7024E01F4"));
    fx.await(Topics.EVENTS, j -> j.getLong("deviceId") == id, 2);
  }

  @Test
  void replayingTheSameOffsetsYieldsTheSameEventIdAndARestartLosesNothing() throws Exception {
    String mac = randomMac();
    long id = fx.device(tenant, mac, new JsonObject());
    String t = topic(mac, 1, 6);
    long base = now() - 100_000;
    RecordMetadata first = fx.publish(mac, t, payload(base, "00D7024E01F4"));
    JsonObject event = fx.await(Topics.EVENTS, j -> j.getLong("deviceId") == id, 1).get(0);
    assertEquals(EventIds.fromRecord(Topics.TELEMETRY_RAW, first.partition(), first.offset(),
        DeviceEvent.Types.TELEMETRY_DECODED).toString(), event.getString("eventId"));

    // stream more and stop the verticle midway: whatever was not durable must come again after the restart
    int total = 300;
    Thread producer = new Thread(() -> {
      for (int i = 1; i < total; i++) {
        fx.publish(mac, t, payload(base + i, "00D7024E01F4"));
      }
    });
    producer.start();
    fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, 30);
    fx.undeploy();
    producer.join();
    fx.deploy();
    List<JsonObject> decoded = fx.await(Topics.TELEMETRY_DECODED, j -> j.getLong("deviceId") == id, total);
    Set<String> stamps = new HashSet<>();
    decoded.forEach(d -> stamps.add(d.getString("timestamp")));
    assertEquals(total, stamps.size(), "every record decoded at least once");

    // rewind the group to the first record: the replay produces the same event id again
    fx.undeploy();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", fx.kafka))) {
      admin.alterConsumerGroupOffsets("gridline.stream-processor",
          Map.of(new TopicPartition(Topics.TELEMETRY_RAW, first.partition()), new OffsetAndMetadata(first.offset())))
          .all().get(20, TimeUnit.SECONDS);
    }
    fx.deploy();
    List<JsonObject> again = fx.await(Topics.EVENTS,
        j -> j.getLong("deviceId") == id && j.getString("eventId").equals(event.getString("eventId")), 2);
    assertEquals(2, again.size());
  }
}
