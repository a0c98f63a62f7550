package io.gridline.sink;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sink.retention}: TimescaleDB drops chunks of {@code decoded_data} older than it. Applied at start, replacing
 * an earlier policy so a changed setting takes effect. On plain PostgreSQL there is no retention job: logged, no-op.
 */
final class RetentionPolicy {
  private static final Logger log = LoggerFactory.getLogger(RetentionPolicy.class);
  private static final String IS_HYPERTABLE = "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') "
      + "AND to_regclass('timescaledb_information.hypertables') IS NOT NULL";
  private static final String HYPERTABLE_ROW =
      "SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_name = 'decoded_data'";

  private RetentionPolicy() {}

  static Future<Void> apply(Pool pool, Optional<Duration> retention, String where) {
    return timescale(pool).compose(hypertable -> {
      if (!hypertable) {
        if (retention.isPresent()) {
          log.info("sink.retention={} not applied on {}: decoded_data is a plain PostgreSQL table (no TimescaleDB), "
              + "rows are kept", retention.get(), where);
        }
        return Future.succeededFuture();
      }
      return pool.withTransaction(c -> c.query("SELECT remove_retention_policy('decoded_data', if_exists => true)")
              .execute()
              .compose(v -> retention.isEmpty() ? Future.succeededFuture()
                  : c.preparedQuery("SELECT add_retention_policy('decoded_data', $1::bigint * interval '1 millisecond')")
                      .execute(Tuple.of(retention.get().toMillis())).mapEmpty()))
          .onSuccess(v -> log.info("decoded_data retention on {}: {}", where,
              retention.map(d -> "drop chunks older than " + d).orElse("off")))
          .mapEmpty();
    });
  }

  private static Future<Boolean> timescale(Pool pool) {
    return pool.query(IS_HYPERTABLE).execute().compose(rows -> {
      Row row = rows.iterator().next();
      if (!Boolean.TRUE.equals(row.getBoolean(0))) {
        return Future.succeededFuture(false);
      }
      return pool.query(HYPERTABLE_ROW).execute().map(r -> r.iterator().next().getLong(0) > 0);
    });
  }
}
