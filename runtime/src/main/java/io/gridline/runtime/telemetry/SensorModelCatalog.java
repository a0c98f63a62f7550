package io.gridline.runtime.telemetry;

import io.gridline.runtime.device.RegisteredDevice;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoding rules ({@code sensor_fields}) held in memory: the whole table is small, so it is loaded at start and
 * reloaded on a timer, when the api announces a change, and (at most once per {@link #MISS_RELOAD_MS}) when a
 * message names a model/mode it does not know yet (per model/mode).
 */
public final class SensorModelCatalog {
  private static final Logger log = LoggerFactory.getLogger(SensorModelCatalog.class);
  /** The model of a controller whose registry metadata names none. */
  public static final String DEFAULT_MODEL = "faces2";
  static final long MISS_RELOAD_MS = 1_000;
  private final Pool pool;
  private volatile Map<String, Map<Integer, List<SensorField>>> models = Map.of();
  private Future<Void> loading;
  /** When a model/mode miss last triggered a reload, so a stream of unknown modes costs one query per second each. */
  private final Map<String, Long> missReloads = new HashMap<>();

  public SensorModelCatalog(Pool pool) {
    this.pool = pool;
  }

  /**
   * The controller model whose rules decode the device's payloads: its registry {@code metadata.model}, or
   * {@link #DEFAULT_MODEL} when that is absent, null or empty (as PostgreSQL's
   * {@code COALESCE(NULLIF(metadata->>'model', ''), 'faces2')} read it).
   */
  public static String modelOf(RegisteredDevice device) {
    Object model = device.metadata().getValue("model");
    String named = model == null ? null : model instanceof String s ? s : String.valueOf(model);
    return named == null || named.isEmpty() ? DEFAULT_MODEL : named;
  }

  /** Loads the table (concurrent callers share one query). */
  public Future<Void> reload() {
    if (loading != null) {
      return loading;
    }
    Future<Void> load = pool.query("SELECT model, mode, field, byte_offset, type, endian, scale, unit FROM sensor_fields")
        .execute()
        .map(rows -> {
          Map<String, Map<Integer, List<SensorField>>> next = new HashMap<>();
          for (Row r : rows) {
            next.computeIfAbsent(r.getString("model"), k -> new HashMap<>())
                .computeIfAbsent(r.getInteger("mode"), k -> new ArrayList<>())
                .add(new SensorField(r.getString("field"), r.getInteger("byte_offset"), r.getString("type"),
                    r.getString("endian"), SensorField.scaleOf(r.getDouble("scale")), r.getString("unit")));
          }
          next.values().forEach(modes -> modes.replaceAll((mode, fields) -> fields.stream()
              .sorted(Comparator.comparingInt(SensorField::byteOffset).thenComparing(SensorField::field)).toList()));
          models = next;
          return (Void) null;
        })
        .onFailure(err -> log.warn("sensor model reload failed, keeping the previous rules: {}", err.getMessage()))
        .onComplete(ar -> loading = null);
    if (!load.isComplete()) {
      loading = load;
    }
    return load;
  }

  /** The fields of {@code model}'s {@code mode} when loaded (no I/O), else null: then {@link #fields} may reload. */
  public List<SensorField> known(String model, int mode) {
    List<SensorField> known = lookup(model, mode);
    return known.isEmpty() ? null : known;
  }

  /** The fields of {@code model}'s {@code mode}, or an empty list when no rows describe it. */
  public Future<List<SensorField>> fields(String model, int mode) {
    List<SensorField> known = lookup(model, mode);
    long now = System.currentTimeMillis();
    String key = model + "/" + mode;
    Long last = missReloads.get(key);
    if (!known.isEmpty() || (last != null && now - last < MISS_RELOAD_MS)) {
      return Future.succeededFuture(known);
    }
    if (missReloads.size() > 10_000) {
      missReloads.clear();
    }
    missReloads.put(key, now);
    return reload().otherwise((Void) null).map(v -> lookup(model, mode));
  }

  private List<SensorField> lookup(String model, int mode) {
    return models.getOrDefault(model, Map.of()).getOrDefault(mode, List.of());
  }

}
