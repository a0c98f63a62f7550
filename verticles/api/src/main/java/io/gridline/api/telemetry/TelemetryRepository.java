package io.gridline.api.telemetry;

import io.gridline.api.http.Problem;
import io.gridline.api.http.SqlStates;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.Store;
import io.gridline.runtime.StoreClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code decoded_data}, which lives where {@code sink.pg-url} points; labels and units come from
 * {@code datapoints} in the metadata database. The two may be different servers, so they are never joined in SQL:
 * the label is resolved first (series) or second (latest), each a primary- or unique-key lookup.
 *
 * <p>Series queries run on a pool of their own, even when both are one database, and each under
 * {@code api.telemetry.statement-timeout}: an expensive aggregation holds at most {@code pg.pool-size} connections of
 * that pool for at most that long, while key lookups, devices and tenants keep the main pool. A query the database
 * cancels for it is a 504 {@code query-timeout}.
 */
public final class TelemetryRepository {
  // session-level on purpose: the series pool is ours alone, and every query sets it again before it runs
  private static final String STATEMENT_TIMEOUT = "SELECT set_config('statement_timeout', $1, false)";
  private static final String DATAPOINT_BY_LABEL = "SELECT id FROM datapoints WHERE label = $1";
  private static final String DATAPOINTS_BY_ID = "SELECT id, label, unit FROM datapoints WHERE id = ANY($1)";
  private static final String POINTS = "SELECT \"timestamp\", value FROM decoded_data "
      + "WHERE device_id = $1 AND datapoint_id = $2 AND \"timestamp\" >= $3 AND \"timestamp\" < $4 "
      + "ORDER BY \"timestamp\" LIMIT $5";
  // date_bin (PostgreSQL 14+) is time_bucket without TimescaleDB; buckets are aligned to 2000-01-01T00:00Z
  private static final String BUCKETS = "SELECT date_bin($5::bigint * interval '1 millisecond', \"timestamp\", "
      + "timestamptz '2000-01-01 00:00:00+00') AS t, avg(value), min(value), max(value), count(*) FROM decoded_data "
      + "WHERE device_id = $1 AND datapoint_id = $2 AND \"timestamp\" >= $3 AND \"timestamp\" < $4 "
      + "GROUP BY t ORDER BY t";
  // newest row per datapoint of one device: a skip scan over the (device_id, datapoint_id, timestamp DESC) index
  // instead of reading the device's whole history
  private static final String LATEST = """
      WITH RECURSIVE dp AS (
        SELECT min(datapoint_id) AS id FROM decoded_data WHERE device_id = $1
        UNION ALL
        SELECT (SELECT min(datapoint_id) FROM decoded_data WHERE device_id = $1 AND datapoint_id > dp.id)
        FROM dp WHERE dp.id IS NOT NULL)
      SELECT d.datapoint_id, d."timestamp", d.value FROM dp CROSS JOIN LATERAL (
        SELECT datapoint_id, "timestamp", value FROM decoded_data
        WHERE device_id = $1 AND datapoint_id = dp.id ORDER BY "timestamp" DESC LIMIT 1) d""";

  record Point(OffsetDateTime t, double v) {}

  record Bucket(OffsetDateTime t, double avg, double min, double max, long count) {}

  record Latest(String label, OffsetDateTime t, double v, String unit) {}

  private final Pool metadata;
  private final Pool series;
  private final Duration statementTimeout;

  private TelemetryRepository(Pool metadata, Pool series, Duration statementTimeout) {
    this.metadata = metadata;
    this.series = series;
    this.statementTimeout = statementTimeout;
  }

  /** Opens the series pool on {@code sink.pg-url}, or on {@code pg.url} when that is unset. */
  public static TelemetryRepository create(Vertx vertx, GridlineConfig config, Pool metadata,
      Duration statementTimeout) {
    String urlKey = config.has("sink.pg-url") ? "sink.pg-url" : Store.POSTGRES.urlKey();
    return new TelemetryRepository(metadata, StoreClients.pg(vertx, config, urlKey, "api-telemetry"), statementTimeout);
  }

  public Future<Void> close() {
    return series.close();
  }

  Future<Optional<Integer>> datapointId(String label) {
    return metadata.preparedQuery(DATAPOINT_BY_LABEL).execute(Tuple.of(label))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getInteger(0)));
  }

  /** Up to {@code limit} points of one series in {@code [from, to)}, oldest first. */
  Future<List<Point>> points(long deviceId, int datapointId, Instant from, Instant to, int limit) {
    return onSeries(POINTS, Tuple.of((int) deviceId, datapointId, utc(from), utc(to), limit))
        .map(rows -> {
          List<Point> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new Point(r.getOffsetDateTime(0), r.getDouble(1))));
          return out;
        });
  }

  Future<List<Bucket>> buckets(long deviceId, int datapointId, Instant from, Instant to, long bucketMillis) {
    return onSeries(BUCKETS, Tuple.of((int) deviceId, datapointId, utc(from), utc(to), bucketMillis))
        .map(rows -> {
          List<Bucket> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(new Bucket(r.getOffsetDateTime(0), r.getDouble(1), r.getDouble(2),
              r.getDouble(3), r.getLong(4))));
          return out;
        });
  }

  /** The newest value of each datapoint the device ever reported, ordered by label. */
  Future<List<Latest>> latest(long deviceId) {
    return onSeries(LATEST, Tuple.of((int) deviceId)).compose(rows -> {
      List<Row> newest = new ArrayList<>();
      rows.forEach(newest::add);
      if (newest.isEmpty()) {
        return Future.succeededFuture(List.<Latest>of());
      }
      Integer[] ids = newest.stream().map(r -> r.getInteger(0)).toArray(Integer[]::new);
      return metadata.preparedQuery(DATAPOINTS_BY_ID).execute(Tuple.of(ids)).map(labels -> {
        Map<Integer, Row> byId = new HashMap<>();
        labels.forEach(l -> byId.put(l.getInteger("id"), l));
        List<Latest> out = new ArrayList<>();
        for (Row r : newest) {
          Row label = byId.get(r.getInteger(0));
          // a datapoint id without a label cannot come from the processor; show it rather than hide data
          out.add(new Latest(label == null ? "datapoint-" + r.getInteger(0) : label.getString("label"),
              r.getOffsetDateTime(1), r.getDouble(2), label == null ? "" : label.getString("unit")));
        }
        out.sort(Comparator.comparing(Latest::label));
        return out;
      });
    });
  }

  /** {@code sql} on the series pool under the statement timeout; the database cancelling it is a 504. */
  private Future<RowSet<Row>> onSeries(String sql, Tuple params) {
    return series.withConnection(conn -> conn.preparedQuery(STATEMENT_TIMEOUT)
            .execute(Tuple.of(statementTimeout.toMillis() + "ms"))
            .compose(set -> conn.preparedQuery(sql).execute(params)))
        .recover(err -> Future.failedFuture(SqlStates.is(err, SqlStates.QUERY_CANCELED)
            ? Problem.queryTimeout("the telemetry query ran longer than api.telemetry.statement-timeout ("
                + statementTimeout + "): narrow from/to or use a larger bucket")
            : err));
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
