package io.gridline.processor;

import io.gridline.runtime.telemetry.DeadLetters;
import io.gridline.runtime.telemetry.DeadLetterRows;
import io.gridline.runtime.telemetry.SensorModelCatalog;
import static io.gridline.testkit.Waits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.contracts.telemetry.TelemetryRejected;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.device.DeviceDirectory;
import io.gridline.runtime.device.ExternalIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Collaborators against the real stores, for what the verticle-level tests cannot reach quickly. */
class CollaboratorsTest {
  private static ProcessorFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new ProcessorFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void aLostChangeBroadcastHealsAfterTheTtl() throws Exception {
    UUID tenant = fx.tenant();
    String mac = ProcessorFixture.randomMac();
    long id = fx.device(tenant, mac, new JsonObject());
    DeviceDirectory devices = DeviceDirectory.create(fx.vertx, fx.db,
        RedisAPI.api(Redis.createClient(fx.vertx, fx.redisUrl)), Duration.ofSeconds(1));
    assertEquals("faces2", modelOf(devices, mac));

    // neither the broadcast nor the api's Redis eviction happens: both caches still answer, until they expire
    await(fx.db.preparedQuery("UPDATE devices SET metadata = $2 WHERE id = $1")
        .execute(Tuple.of(id, new JsonObject().put("model", "other"))));
    assertEquals("faces2", modelOf(devices, mac));
    Thread.sleep(1_100);
    assertEquals("other", modelOf(devices, mac));
  }

  /** The model the processor decodes the device's payloads with, as its directory finds the device. */
  private static String modelOf(DeviceDirectory devices, String mac) {
    return SensorModelCatalog.modelOf(await(devices.lookup(ExternalIds.MQTT, mac)).orElseThrow());
  }

  @Test
  void theDlqTableKeepsTheNewestRowsPerTenant() {
    UUID tenant = fx.tenant();
    GridlineConfig config = GridlineConfig.of(fx.config());
    KafkaProducer<String, Buffer> producer = KafkaClients.producer(fx.vertx, config, "dlq-test");
    try {
      DeadLetters dlq = new DeadLetters(producer, fx.db, new DeadLetterRows(fx.vertx, fx.db), 2, Duration.ofDays(1),
          new SimpleMeterRegistry(), "gridline.processor.rejected");
      for (int i = 0; i < 4; i++) {
        await(dlq.reject(new TelemetryRejected(tenant.toString(), "aa:bb:cc:dd:ee:01", "bad-hex", "n" + i, "t",
            new byte[] {1}, System.currentTimeMillis())));
      }
      await(dlq.trimTenants()); // the verticle runs it every second
      var details = await(fx.db.preparedQuery("SELECT detail FROM telemetry_dlq WHERE tenant_id = $1 ORDER BY id")
          .execute(Tuple.of(tenant)));
      assertEquals(2, details.size());
      var it = details.iterator();
      assertEquals("n2", it.next().getString(0));
      assertEquals("n3", it.next().getString(0));
      await(fx.db.query("UPDATE telemetry_dlq SET created_at = now() - interval '2 days'").execute());
      await(dlq.pruneOld());
      assertEquals(0L, await(fx.db.preparedQuery("SELECT count(*) FROM telemetry_dlq WHERE tenant_id = $1")
          .execute(Tuple.of(tenant))).iterator().next().getLong(0));
    } finally {
      await(producer.close());
    }
  }
}
