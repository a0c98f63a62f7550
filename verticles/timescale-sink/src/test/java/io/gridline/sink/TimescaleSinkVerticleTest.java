package io.gridline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.DecodedTelemetry.Value;
import io.gridline.devservices.EmbeddedPg;
import io.gridline.runtime.Meters;
import io.gridline.runtime.Readiness;
import io.gridline.testkit.TestStores;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.ext.healthchecks.CheckResult;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sink against a real Kafka broker and real PostgreSQL, deployed as the node deploys it. */
class TimescaleSinkVerticleTest {
  private static final long T0 = Instant.parse("2026-11-01T10:00:00.123Z").toEpochMilli();

  static {
    // without the node's Prometheus registry, Meters falls back to the global registry: give it a backend to count in
    Metrics.addRegistry(new SimpleMeterRegistry());
  }

  private static DecodedTelemetry reading(long deviceId, long timestamp, double... values) {
    List<Value> v = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      v.add(new Value(i + 1, "sensor-1.f" + (i + 1), values[i]));
    }
    return new DecodedTelemetry("00000000-0000-0000-0000-000000000001", deviceId, timestamp, v);
  }

  private static double counter(String name) {
    var c = Meters.registry().find(name).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void rowsLandWithExactValuesAndOffsetsAreCommitted() throws Exception {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      f.deploy();
      f.send(reading(7, T0, 21.5, 59.0, 500));
      f.send(reading(7, T0 + 1000, -3.25, 0.1 + 0.2, 1e-9));
      f.send(reading(8, T0, 1.0));
      f.flush();
      Waits.until("7 rows", 20_000, () -> f.count("SELECT count(*) FROM decoded_data") == 7);
      try (Connection c = DriverManager.getConnection(TestStores.pgJdbcUrl(f.sinkPgUrl));
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT (extract(epoch FROM \"timestamp\") * 1000)::bigint, device_id, "
              + "datapoint_id, value FROM decoded_data ORDER BY device_id, \"timestamp\", datapoint_id")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getLong(1) + "/" + rs.getInt(2) + "/" + rs.getInt(3) + "/" + rs.getDouble(4));
        }
        assertEquals(List.of(
            T0 + "/7/1/21.5", T0 + "/7/2/59.0", T0 + "/7/3/500.0",
            (T0 + 1000) + "/7/1/-3.25", (T0 + 1000) + "/7/2/" + (0.1 + 0.2), (T0 + 1000) + "/7/3/1.0E-9",
            T0 + "/8/1/1.0"), rows);
      }
      Waits.until("offsets of all 3 records committed", 10_000, () -> f.committedRecords() == 3);
    }
  }

  @Test
  void duplicatesAreDroppedFirstReadingWinsAndTheyAreCounted() {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      double before = counter("gridline.sink.duplicates");
      f.deploy();
      f.send(reading(9, T0, 1.0, 2.0));
      f.flush();
      Waits.until("first reading", 20_000, () -> f.count("SELECT count(*) FROM decoded_data") == 2);
      f.send(reading(9, T0, 10.0, 20.0, 30.0));   // two rows already there, one new
      f.send(reading(9, T0, 1.0, 2.0));           // a plain retransmission
      f.flush();
      Waits.until("all records committed", 20_000, () -> f.committedRecords() == 3);
      assertEquals(3, f.count("SELECT count(*) FROM decoded_data"));
      assertEquals(3, f.count("SELECT sum(value)::bigint FROM decoded_data WHERE datapoint_id IN (1, 2)"));
      assertEquals(30, f.count("SELECT value::bigint FROM decoded_data WHERE datapoint_id = 3"));
      assertEquals(4.0, counter("gridline.sink.duplicates") - before);
    }
  }

  @Test
  void malformedRecordsAreSkippedAndCommittedPastWhileGoodOnesLand() {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      double before = counter("gridline.sink.malformed");
      f.deploy();
      f.send(reading(11, T0, 1.0));
      f.sendRaw("11", "not json".getBytes(StandardCharsets.UTF_8));
      f.sendRaw("11", "{\"tenantId\":\"t\",\"deviceId\":11}".getBytes(StandardCharsets.UTF_8));
      f.sendRaw("11", ("{\"tenantId\":\"t\",\"deviceId\":11,\"timestamp\":\"yesterday\",\"values\":"
          + "[{\"datapointId\":1,\"label\":\"x\",\"value\":1}]}").getBytes(StandardCharsets.UTF_8));
      f.sendRaw("11", null);
      f.send(reading(11, T0 + 1, 2.0));
      f.flush();
      Waits.until("every record consumed and committed", 20_000, () -> f.committedRecords() == 6);
      assertEquals(2, f.count("SELECT count(*) FROM decoded_data WHERE device_id = 11"));
      assertEquals(4.0, counter("gridline.sink.malformed") - before);
    }
  }

  @Test
  void offsetsWaitForTheirOwnRowsAndForEveryEarlierBatch() throws Exception {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      f.deploy();
      try (Connection blocker = DriverManager.getConnection(TestStores.pgJdbcUrl(f.sinkPgUrl))) {
        // an uncommitted row with the first reading's key: the sink's first insert waits on it
        blocker.setAutoCommit(false);
        try (Statement st = blocker.createStatement()) {
          st.execute("INSERT INTO decoded_data VALUES (to_timestamp(" + T0 / 1000.0 + "), 60, 1, -1)");
        }
        f.send(reading(60, T0, 1.0));
        f.flush();
        Waits.until("the first batch's insert to wait on the uncommitted row", 20_000,
            () -> f.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO decoded_data%'") == 1);
        f.send(reading(60, T0 + 1, 2.0));
        f.flush();
        Waits.until("the second batch's row", 20_000,
            () -> f.count("SELECT count(*) FROM decoded_data WHERE device_id = 60") == 1);
        Thread.sleep(300);
        assertEquals(0, f.committedRecords(), "the second batch may not commit past the first, still unwritten");
        blocker.rollback();
      }
      Waits.until("both offsets committed", 20_000, () -> f.committedRecords() == 2);
      assertEquals(3, f.count("SELECT sum(value)::bigint FROM decoded_data WHERE device_id = 60"));
    }
  }

  @Test
  void undeployMidStreamAndRedeployStoresEveryReadingExactlyOnce() throws Exception {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      f.deploy();
      int readings = 10_000;
      Thread producer = new Thread(() -> {
        for (int i = 0; i < readings; i++) {
          f.send(reading(20 + (i % 5), T0 + i, i, i + 0.5, -i));
        }
        f.flush();
      });
      producer.start();
      Waits.until("some rows", 20_000, () -> f.count("SELECT count(*) FROM decoded_data") > 3_000);
      f.undeploy();
      long atStop = f.count("SELECT count(*) FROM decoded_data");
      producer.join();
      assertTrue(atStop < readings * 3L, "stopped mid-stream: " + atStop);
      f.deploy();
      Waits.until("all offsets committed", 30_000, () -> f.committedRecords() == readings);
      assertEquals(readings * 3L, f.count("SELECT count(*) FROM decoded_data"));
      assertEquals(readings, f.count("SELECT count(DISTINCT (\"timestamp\", device_id)) FROM decoded_data"));
      assertEquals(0, f.count("SELECT count(*) FROM decoded_data WHERE datapoint_id = 2 AND value <> "
          + "(extract(epoch FROM \"timestamp\") * 1000 - " + T0 + ") + 0.5"));
    }
  }

  @Test
  void databaseOutagePausesCommitsNothingAndResumesWithoutLoss() throws Exception {
    EmbeddedPg pg = TestStores.ownPg();
    String url = pg.url();
    try (SinkFixture f = new SinkFixture(url, url)) {
      f.deploy();
      f.send(reading(30, T0, 1.0));
      f.flush();
      Waits.until("first row", 20_000, () -> f.count("SELECT count(*) FROM decoded_data") == 1);
      Waits.until("first offset", 10_000, () -> f.committedRecords() == 1);

      pg.close();
      for (int i = 1; i <= 200; i++) {
        f.send(reading(30, T0 + i, i, i));
      }
      f.flush();
      Waits.until("readiness to report the outage", 20_000, () -> {
        CheckResult r = Waits.await(Readiness.of(f.vertx).checks().checkStatus());
        return r.getUp() != Boolean.TRUE && r.toJson().encode().contains("writing decoded_data failed");
      });
      Thread.sleep(500);
      assertEquals(1, f.committedRecords(), "no offset may be committed while the rows are not stored");

      pg = TestStores.restart(pg);
      Waits.until("all offsets committed after the restart", 30_000, () -> f.committedRecords() == 201);
      assertEquals(401, f.count("SELECT count(*) FROM decoded_data"));
      Waits.until("readiness back up", 10_000,
          () -> Waits.await(Readiness.of(f.vertx).checks().checkStatus()).getUp() == Boolean.TRUE);
    } finally {
      pg.close();
    }
  }

  @Test
  void twoInstancesShareThePartitionsAndStoreEveryReadingOnce() {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      f.deployInstances(2);
      for (int i = 0; i < 2_000; i++) {
        f.send(reading(70 + i % 7, T0 + i, i, -i));
      }
      f.flush();
      Waits.until("all offsets committed", 30_000, () -> f.committedRecords() == 2_000);
      assertEquals(4_000, f.count("SELECT count(*) FROM decoded_data"));
      Waits.until("both instances ready", 10_000,
          () -> Waits.await(Readiness.of(f.vertx).checks().checkStatus()).getUp() == Boolean.TRUE);
    }
  }

  @Test
  void timeSeriesGoesToTheSeparateSinkDatabase() {
    String metadata = TestStores.pgUrl();
    String series = TestStores.pgUrl();
    try (SinkFixture f = new SinkFixture(metadata, series)) {
      f.deploy();
      f.send(reading(40, T0, 4.0, 5.0));
      f.flush();
      Waits.until("rows in the sink database", 20_000,
          () -> SinkFixture.count(series, "SELECT count(*) FROM decoded_data") == 2);
      assertEquals(0, SinkFixture.count(metadata, "SELECT count(*) FROM pg_tables WHERE tablename = 'decoded_data'"));
    }
  }

  @Test
  void anInvalidRetentionStopsTheDeploymentAndPlainPostgresIgnoresAValidOne() {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> f.deploy(f.config().put("sink.retention", "30 days")));
      assertTrue(e.getMessage().contains("sink.retention"), e.getMessage());
      f.deploy(f.config().put("sink.retention", "P30D"));
      f.send(reading(50, T0, 1.0));
      f.flush();
      Waits.until("row", 20_000, () -> f.count("SELECT count(*) FROM decoded_data") == 1);
    }
  }
}
