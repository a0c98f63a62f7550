package io.gridline.node;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.PgUrl;
import io.gridline.runtime.Store;
import io.gridline.sql.Migrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the node's PostgreSQL schemas up to date before any verticle connects: the metadata schema on {@code pg.url},
 * the time series on {@code sink.pg-url} (filled from {@code pg.url} by the node when it was empty). A failure names
 * the key and the server (never its password). Blocking (Flyway over JDBC): run it before any event loop exists.
 */
final class SchemaMigrations {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

  /** One Flyway migration set; the number of migrations it applied. */
  private interface Migration {
    int apply(String jdbcUrl, String user, String password);
  }

  private SchemaMigrations() {}

  static void apply(GridlineConfig config) {
    migrate(config, Store.POSTGRES.urlKey(), "metadata", Migrations::migrate);
    migrate(config, "sink.pg-url", "time series", Migrations::migrateTimeseries);
  }

  private static void migrate(GridlineConfig config, String key, String what, Migration migration) {
    PgUrl url = PgUrl.parse(config.string(key));
    long t0 = System.nanoTime();
    int applied;
    try {
      url.requireReadableFiles();
      applied = migration.apply(url.jdbcUrl(), url.user(), url.password());
    } catch (RuntimeException e) {
      throw new IllegalStateException("migrating the " + what + " schema on " + url.display() + " (" + key + ") failed: "
          + Node.rootMessage(e), e);
    }
    log.info("migrations: {} schema on {}: {} applied in {} ms, current", what, url.display(), applied,
        (System.nanoTime() - t0) / 1_000_000);
  }
}
