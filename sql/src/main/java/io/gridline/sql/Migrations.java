package io.gridline.sql;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies Gridline's schema with Flyway. Blocking (JDBC): call it at startup on a worker thread, never on an event
 * loop. Flyway's lock on its history table makes concurrent starts of several nodes safe.
 */
public final class Migrations {
  /** Where the migrations live on the classpath. */
  public static final String LOCATION = "classpath:db/gridline";

  private Migrations() {}

  /**
   * @return how many migrations this call applied (0 when the schema was already current)
   */
  public static int migrate(String jdbcUrl, String user, String password) {
    MigrateResult result = Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations(LOCATION)
        .table("gridline_schema_history")
        .baselineOnMigrate(false)
        .load()
        .migrate();
    return result.migrationsExecuted;
  }
}
