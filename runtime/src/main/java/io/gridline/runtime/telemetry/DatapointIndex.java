package io.gridline.runtime.telemetry;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;

/**
 * Label → datapoint id. Ids never change once assigned, so they are cached for the life of the process (preloaded at
 * start). A new label is inserted by whichever processor sees it first; the upsert returns the existing id to the
 * others, so concurrent first sightings on several nodes still yield one row.
 */
public final class DatapointIndex {
  // DO UPDATE (a no-op) rather than DO NOTHING: only then does RETURNING give the id of a row that already existed
  private static final String UPSERT = "INSERT INTO datapoints (label, unit) VALUES ($1, $2) "
      + "ON CONFLICT (label) DO UPDATE SET label = EXCLUDED.label RETURNING id";
  private final Pool pool;
  private final Map<String, Future<Integer>> ids = new HashMap<>();

  public DatapointIndex(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> preload() {
    return pool.query("SELECT id, label FROM datapoints").execute().map(rows -> {
      for (Row r : rows) {
        ids.putIfAbsent(r.getString("label"), Future.succeededFuture(r.getInteger("id")));
      }
      return null;
    });
  }

  /** The label's id when already known here (no I/O), else null: then {@link #idOf} inserts or reads it. */
  public Integer known(String label) {
    Future<Integer> known = ids.get(label);
    return known != null && known.succeeded() ? known.result() : null;
  }

  public Future<Integer> idOf(String label, String unit) {
    Future<Integer> known = ids.get(label);
    if (known != null && !known.failed()) {
      return known;
    }
    Future<Integer> inserted = pool.preparedQuery(UPSERT).execute(Tuple.of(label, unit))
        .map(rows -> rows.iterator().next().getInteger("id"));
    ids.put(label, inserted);
    return inserted;
  }
}
