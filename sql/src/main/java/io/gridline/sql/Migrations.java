package io.gridline.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies Gridline's schema with Flyway. Blocking (JDBC): call it at startup on a worker thread, never on an event
 * loop. Flyway's lock on its history table makes concurrent starts of several nodes safe.
 */
public final class Migrations {
  /** Where the metadata migrations (registry, telemetry metadata, …) live on the classpath; history in gridline_schema_history. */
  public static final String LOCATION = "classpath:db/gridline";
  /** The time-series migrations ({@code decoded_data}), applied where {@code sink.pg-url} points; own history table. */
  public static final String TIMESERIES_LOCATION = "classpath:db/timeseries";

  /** Advisory lock key held while migrating ("grid" in ASCII). */
  private static final long MIGRATION_LOCK = 0x67726964L;

  private Migrations() {}

  /**
   * @return how many migrations this call applied (0 when the schema was already current)
   */
  public static int migrate(String jdbcUrl, String user, String password) {
    return run(jdbcUrl, user, password, LOCATION, "gridline_schema_history");
  }

  /**
   * Applies the time-series schema ({@code decoded_data}; a TimescaleDB hypertable when the extension is available).
   *
   * @return how many migrations this call applied
   */
  public static int migrateTimeseries(String jdbcUrl, String user, String password) {
    return run(jdbcUrl, user, password, TIMESERIES_LOCATION, "gridline_timeseries_history");
  }

  /**
   * Nodes starting together against a new database would race to create Flyway's history table (its own lock lives in
   * that table), so the whole run holds a PostgreSQL advisory lock first.
   */
  private static int run(String jdbcUrl, String user, String password, String location, String historyTable) {
    try (Connection lockHolder = DriverManager.getConnection(jdbcUrl, user, password);
         Statement st = lockHolder.createStatement()) {
      st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      try {
        return flyway(jdbcUrl, user, password, location, historyTable);
      } finally {
        st.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot take the migration lock on " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  private static int flyway(String jdbcUrl, String user, String password, String location, String historyTable) {
    MigrateResult result = Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations(location)
        .table(historyTable)
        // metadata and time series may share one database: each history starts below V1 in a schema the other filled
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    return result.migrationsExecuted;
  }
}
