package io.gridline.api.telemetry;

import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for {@code sensor_fields}: global (not per tenant), changed only with the admin key. */
public final class SensorModelRepository {
  private static final String COLUMNS = "model, mode, field, byte_offset, type, endian, scale, unit";
  private static final String INSERT = "INSERT INTO sensor_fields (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
  private final Pool pool;

  public SensorModelRepository(Pool pool) {
    this.pool = pool;
  }

  /** One page of models by name, and how many there are. */
  Future<Page.Slice<SensorModelInput.Model>> list(Page page) {
    Future<List<SensorModelInput.Model>> items = pool.preparedQuery("SELECT " + COLUMNS + " FROM sensor_fields "
            + "WHERE model IN (SELECT DISTINCT model FROM sensor_fields ORDER BY model LIMIT $1 OFFSET $2) "
            + "ORDER BY model, mode, byte_offset, field")
        .execute(Tuple.of(page.size(), page.offset()))
        .map(SensorModelRepository::group);
    Future<Long> total = pool.query("SELECT count(DISTINCT model) FROM sensor_fields").execute()
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  /** Inserts a new model; 409 when rows for it exist already. */
  Future<SensorModelInput.Model> create(SensorModelInput.Model model) {
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))")
            .execute(Tuple.of("sensor-model:" + model.model()))
            .compose(v -> conn.preparedQuery("SELECT 1 FROM sensor_fields WHERE model = $1 LIMIT 1")
                .execute(Tuple.of(model.model())))
            .compose(rows -> rows.size() > 0
                ? Future.failedFuture(Problem.conflict("sensor model " + model.model()
                    + " exists; change its modes with PUT /api/v1/sensor-models/{model}/modes/{mode}"))
                : insert(conn, model)))
        .map(model);
  }

  /** Replaces the fields of one mode of a model (creating the model or mode when new). */
  Future<SensorModelInput.Model> replaceMode(SensorModelInput.Model model) {
    SensorModelInput.Mode mode = model.modes().get(0);
    return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM sensor_fields WHERE model = $1 AND mode = $2")
            .execute(Tuple.of(model.model(), mode.mode()))
            .compose(v -> insert(conn, model)))
        .map(model);
  }

  private static Future<Void> insert(SqlConnection conn, SensorModelInput.Model model) {
    List<Tuple> rows = new ArrayList<>();
    for (SensorModelInput.Mode mode : model.modes()) {
      for (SensorModelInput.Field f : mode.fields()) {
        rows.add(Tuple.of(model.model(), mode.mode(), f.field(), f.byteOffset(), f.type(), f.endian(), f.scale(), f.unit()));
      }
    }
    return conn.preparedQuery(INSERT).executeBatch(rows).mapEmpty();
  }

  private static List<SensorModelInput.Model> group(Iterable<Row> rows) {
    Map<String, Map<Integer, List<SensorModelInput.Field>>> models = new LinkedHashMap<>();
    for (Row r : rows) {
      models.computeIfAbsent(r.getString("model"), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.getInteger("mode"), k -> new ArrayList<>())
          .add(new SensorModelInput.Field(r.getString("field"), r.getInteger("byte_offset"), r.getString("type"),
              r.getString("endian"), r.getDouble("scale"), r.getString("unit")));
    }
    List<SensorModelInput.Model> out = new ArrayList<>();
    models.forEach((name, modes) -> {
      List<SensorModelInput.Mode> list = new ArrayList<>();
      modes.forEach((mode, fields) -> list.add(new SensorModelInput.Mode(mode, fields)));
      out.add(new SensorModelInput.Model(name, list));
    });
    return out;
  }
}
