package io.gridline.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.testkit.TestStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  private static final Set<String> V1_TABLES = Set.of("tenants", "api_keys", "devices", "sensor_fields", "datapoints",
      "telemetry_dlq");

  private static int migrationFiles() throws Exception {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of(
        MigrationsTest.class.getResource("/db/gridline").toURI()))) {
      return (int) files.filter(p -> p.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
    }
  }

  private static Set<String> tables(String jdbcUrl) throws Exception {
    Set<String> names = new TreeSet<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl);
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Test
  void appliesEveryMigrationOnAnEmptyDatabaseThenNothingOnReRun() throws Exception {
    String jdbc = TestStores.pgJdbcUrl(TestStores.pgUrl());
    int expected = migrationFiles();
    assertTrue(expected >= 1);

    assertEquals(expected, Migrations.migrate(jdbc, null, null));
    assertTrue(tables(jdbc).containsAll(V1_TABLES), "tables: " + tables(jdbc));
    assertEquals(0, Migrations.migrate(jdbc, null, null));
  }

  @Test
  void concurrentStartsApplyEachMigrationOnce() throws Exception {
    String jdbc = TestStores.pgJdbcUrl(TestStores.pgUrl());
    var pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(CompletableFuture.supplyAsync(() -> Migrations.migrate(jdbc, null, null), pool));
      }
      CompletableFuture<Integer> timeseries = CompletableFuture.supplyAsync(
          () -> Migrations.migrateTimeseries(jdbc, null, null), pool);
      int applied = 0;
      for (CompletableFuture<Integer> run : runs) {
        applied += run.get();
      }
      assertEquals(migrationFiles(), applied);
      assertEquals(1, timeseries.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void externalIdIsUniquePerKindAcrossTenants() throws Exception {
    String jdbc = TestStores.pgJdbcUrl(TestStores.pgUrl());
    Migrations.migrate(jdbc, null, null);
    try (Connection c = DriverManager.getConnection(jdbc)) {
      c.createStatement().execute("INSERT INTO tenants (id, name, max_devices) VALUES "
          + "('00000000-0000-0000-0000-00000000000a', 'a', 10), ('00000000-0000-0000-0000-00000000000b', 'b', 10)");
      c.createStatement().execute("INSERT INTO devices (tenant_id, kind, external_id) VALUES "
          + "('00000000-0000-0000-0000-00000000000a', 'mqtt', 'aa:bb:cc:dd:ee:01'), "
          + "('00000000-0000-0000-0000-00000000000b', 'charger', 'aa:bb:cc:dd:ee:01')");
      var e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () ->
          c.createStatement().execute("INSERT INTO devices (tenant_id, kind, external_id) VALUES "
              + "('00000000-0000-0000-0000-00000000000b', 'mqtt', 'aa:bb:cc:dd:ee:01')"));
      assertEquals("23505", e.getSQLState());
    }
  }

  @Test
  void deviceCountTriggersEnforceMaxDevicesAndIgnoreSkippedInserts() throws Exception {
    String jdbc = TestStores.pgJdbcUrl(TestStores.pgUrl());
    Migrations.migrate(jdbc, null, null);
    try (Connection c = DriverManager.getConnection(jdbc)) {
      var st = c.createStatement();
      st.execute("INSERT INTO tenants (id, name, max_devices) VALUES ('00000000-0000-0000-0000-00000000000c', 'c', 2)");
      st.execute("INSERT INTO devices (tenant_id, kind, external_id) VALUES "
          + "('00000000-0000-0000-0000-00000000000c', 'mqtt', 'aa:00:00:00:00:01')");
      // a skipped insert counts nothing
      st.execute("INSERT INTO devices (tenant_id, kind, external_id) VALUES "
          + "('00000000-0000-0000-0000-00000000000c', 'mqtt', 'aa:00:00:00:00:01') ON CONFLICT DO NOTHING");
      st.execute("INSERT INTO devices (tenant_id, kind, external_id) VALUES "
          + "('00000000-0000-0000-0000-00000000000c', 'mqtt', 'aa:00:00:00:00:02')");
      var full = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> st.execute(
          "INSERT INTO devices (tenant_id, kind, external_id) VALUES "
              + "('00000000-0000-0000-0000-00000000000c', 'mqtt', 'aa:00:00:00:00:03')"));
      assertEquals("GL001", full.getSQLState());
      assertEquals(2, count(c));
      st.execute("DELETE FROM devices WHERE external_id = 'aa:00:00:00:00:01'");
      assertEquals(1, count(c));
      st.execute("INSERT INTO devices (tenant_id, kind, external_id) VALUES "
          + "('00000000-0000-0000-0000-00000000000c', 'mqtt', 'aa:00:00:00:00:03')");
      assertEquals(2, count(c));
    }
  }

  private static int count(Connection c) throws Exception {
    try (ResultSet rs = c.createStatement().executeQuery(
        "SELECT device_count FROM tenants WHERE id = '00000000-0000-0000-0000-00000000000c'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void timeSeriesSchemaAppliesBesideTheMetadataInOneDatabase() throws Exception {
    String jdbc = TestStores.pgJdbcUrl(TestStores.pgUrl());
    assertTrue(Migrations.migrate(jdbc, null, null) >= 1);
    assertEquals(1, Migrations.migrateTimeseries(jdbc, null, null));
    assertEquals(0, Migrations.migrateTimeseries(jdbc, null, null));
    assertEquals(0, Migrations.migrate(jdbc, null, null));
    assertTrue(tables(jdbc).contains("decoded_data"));
    try (Connection c = DriverManager.getConnection(jdbc)) {
      c.createStatement().execute("INSERT INTO decoded_data VALUES ('2026-11-26T08:00:00Z', 1, 1, 21.5) ON CONFLICT DO NOTHING");
      c.createStatement().execute("INSERT INTO decoded_data VALUES ('2026-11-26T08:00:00Z', 1, 1, 99) ON CONFLICT DO NOTHING");
      try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*), min(value) FROM decoded_data")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "the first reading for a (time, device, datapoint) wins");
        assertEquals(21.5, rs.getDouble(2));
      }
    }
  }

  @Test
  void faces2IsSeeded() throws Exception {
    String jdbc = TestStores.pgJdbcUrl(TestStores.pgUrl());
    Migrations.migrate(jdbc, null, null);
    try (Connection c = DriverManager.getConnection(jdbc);
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT mode, field, type, scale FROM sensor_fields WHERE model = 'faces2' ORDER BY mode, byte_offset")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getInt(1) + ":" + rs.getString(2) + ":" + rs.getString(3) + ":" + rs.getDouble(4));
      }
      assertEquals(List.of("1:temperature:int16:0.1", "1:humidity:uint16:0.1", "1:co2:uint16:1.0",
          "2:voltage:uint16:0.1", "2:current:uint16:0.001", "2:power:uint32:0.1"), rows);
    }
  }
}
