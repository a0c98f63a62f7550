package io.gridline.lorawan.integration.chirpstack;

import io.gridline.runtime.Failures;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.UntrustedText;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes provisioned LoRaWAN devices into an external ChirpStack through its REST API (seed 001's sync), in the
 * background, so the api's calls never wait for ChirpStack: every {@code lorawan.chirpstack.sync-interval-ms}, on one
 * node at a time (a Redis lock), {@code deleteGone → pushUnsynced}:
 * <ul>
 *   <li>devices deleted after they were pushed ({@code lorawan_chirpstack_deletions}): {@code DELETE
 *   /api/devices/{devEui}} (404 counts as done); a failure is tried again later with a growing delay;</li>
 *   <li>devices with {@code chirpstack_synced = false} (new, renamed, or not yet pushed): {@code PUT
 *   /api/devices/{devEui}}, or {@code POST /api/devices} when ChirpStack does not have it, then its AppKey
 *   ({@code POST}/{@code PUT /api/devices/{devEui}/keys}, {@code nwkKey} = AppKey as LoRaWAN 1.0.x wants) when it
 *   joins over the air; then {@code chirpstack_synced = true}. A failure leaves the flag false for the next round.</li>
 * </ul>
 * The token goes in {@code Authorization} and in {@code Grpc-Metadata-Authorization} (ChirpStack's REST proxy).
 * Counted in {@code gridline_lorawan_chirpstack_sync_total{action, outcome}}.
 */
public final class DeviceSync {
  static final String LOCK = "lorawan:chirpstack-sync:lock";
  static final int BATCH = 50;
  private static final Logger log = LoggerFactory.getLogger(DeviceSync.class);
  private static final LogThrottle throttled = new LogThrottle(log, 5);
  private final Vertx vertx;
  private final Pool pool;
  private final RedisAPI redis;
  private final SecretBox box;
  private final ChirpstackSyncSettings settings;
  private final MeterRegistry meters;
  private final HttpClient http;
  private final URI base;
  private final String nodeId;
  private long timer = -1;
  private boolean running;

  public DeviceSync(Vertx vertx, Pool pool, RedisAPI redis, SecretBox box, ChirpstackSyncSettings settings,
      MeterRegistry meters, String nodeId) {
    this.vertx = vertx;
    this.pool = pool;
    this.redis = redis;
    this.box = box;
    this.settings = settings;
    this.meters = meters;
    this.nodeId = nodeId;
    this.base = settings.apiUrl().orElseThrow();
    this.http = vertx.createHttpClient(new HttpClientOptions().setSsl("https".equals(base.getScheme()))
        .setConnectTimeout(5_000).setIdleTimeout(30));
  }

  public void start() {
    timer = vertx.setPeriodic(settings.intervalMs(), id -> {
      if (!running) {
        running = true;
        round().onComplete(ar -> running = false);
      }
    });
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    return http.close();
  }

  /** One round, if this node takes the lock (held for the interval, so no two nodes push the same device at once). */
  Future<Void> round() {
    return redis.set(List.of(LOCK, nodeId, "NX", "PX", Long.toString(Math.max(1_000, settings.intervalMs()))))
        .compose(taken -> taken == null ? Future.<Void>succeededFuture()
            : deleteGone().compose(v -> pushUnsynced()).eventually(() -> redis.del(List.of(LOCK))).mapEmpty())
        .recover(err -> {
          throttled.warn("ChirpStack sync round failed: {}", Failures.describe(err));
          return Future.succeededFuture();
        });
  }

  private Future<Void> deleteGone() {
    return pool.preparedQuery("SELECT dev_eui, attempts FROM lorawan_chirpstack_deletions WHERE next_attempt_at <= now() "
            + "ORDER BY next_attempt_at LIMIT $1")
        .execute(Tuple.of(BATCH))
        .compose(rows -> {
          Future<Void> chain = Future.succeededFuture();
          for (Row r : rows) {
            String devEui = r.getString("dev_eui");
            int attempts = r.getInteger("attempts");
            chain = chain.compose(v -> call(HttpMethod.DELETE, "/api/devices/" + devEui, null)
                .compose(status -> status / 100 == 2 || status == 404 ? Future.succeededFuture()
                    : Future.failedFuture("ChirpStack answered " + status))
                .compose(v2 -> pool.preparedQuery("DELETE FROM lorawan_chirpstack_deletions WHERE dev_eui = $1")
                    .execute(Tuple.of(devEui)))
                .<Void>map(v2 -> {
                  count("delete", "done");
                  return null;
                })
                .recover(err -> {
                  count("delete", "failed");
                  throttled.warn("deleting device {} from ChirpStack failed (attempt {}): {}", devEui, attempts + 1,
                      Failures.describe(err));
                  return pool.preparedQuery("UPDATE lorawan_chirpstack_deletions SET attempts = attempts + 1, "
                          + "last_error = $2, next_attempt_at = now() + make_interval(secs => least(3600, "
                          + "power(2, attempts + 1)::int * $3 / 1000.0)) WHERE dev_eui = $1")
                      .execute(Tuple.of(devEui, UntrustedText.storable(Failures.describe(err), 1_000),
                          settings.intervalMs()))
                      .<Void>mapEmpty();
                }));
          }
          return chain;
        });
  }

  private record Pending(long deviceId, String devEui, String joinEui, String name, String description,
      byte[] sealedAppKey) {}

  private Future<Void> pushUnsynced() {
    return pool.preparedQuery("SELECT d.device_id, d.dev_eui, d.join_eui, d.app_key, dv.name, dv.metadata->>'model' AS "
            + "model FROM lorawan_devices d JOIN devices dv ON dv.id = d.device_id WHERE NOT d.chirpstack_synced "
            + "ORDER BY d.device_id LIMIT $1")
        .execute(Tuple.of(BATCH))
        .compose(rows -> {
          List<Pending> pending = new ArrayList<>();
          for (Row r : rows) {
            pending.add(new Pending(r.getInteger("device_id"), r.getString("dev_eui"), r.getString("join_eui"),
                r.getString("name"), r.getString("model") == null ? "" : "model " + r.getString("model"),
                r.getBuffer("app_key") == null ? null : r.getBuffer("app_key").getBytes()));
          }
          Future<Void> chain = Future.succeededFuture();
          for (Pending p : pending) {
            chain = chain.compose(v -> push(p).recover(err -> {
              count("push", "failed");
              throttled.warn("pushing device {} to ChirpStack failed: {}", p.devEui(), Failures.describe(err));
              return Future.succeededFuture();
            }));
          }
          return chain;
        });
  }

  /** {@code upsertDevice → setKeys → markSynced}. */
  private Future<Void> push(Pending p) {
    JsonObject device = new JsonObject().put("devEui", p.devEui()).put("name", p.name())
        .put("description", p.description()).put("applicationId", settings.applicationId())
        .put("deviceProfileId", settings.deviceProfileId());
    if (p.joinEui() != null) {
      device.put("joinEui", p.joinEui());
    }
    return pool.preparedQuery("DELETE FROM lorawan_chirpstack_deletions WHERE dev_eui = $1").execute(Tuple.of(p.devEui()))
        .compose(v -> upsert("/api/devices/" + p.devEui(), "/api/devices", new JsonObject().put("device", device)))
        .compose(v -> p.sealedAppKey() == null ? Future.succeededFuture() : keys(p))
        .compose(v -> pool.preparedQuery("UPDATE lorawan_devices SET chirpstack_synced = true, updated_at = now() "
                + "WHERE device_id = $1 AND dev_eui = $2")
            .execute(Tuple.of(p.deviceId(), p.devEui())))
        .compose(rows -> {
          count("push", "done");
          // deleted while it was being pushed: ChirpStack has it now, so it goes again
          return rows.rowCount() == 1 ? Future.<Void>succeededFuture()
              : pool.preparedQuery("INSERT INTO lorawan_chirpstack_deletions (dev_eui) VALUES ($1) "
                  + "ON CONFLICT (dev_eui) DO NOTHING").execute(Tuple.of(p.devEui())).mapEmpty();
        });
  }

  private Future<Void> keys(Pending p) {
    String appKey = HexFormat.of().formatHex(box.open(p.sealedAppKey(), p.devEui().getBytes(StandardCharsets.US_ASCII)));
    JsonObject body = new JsonObject().put("deviceKeys", new JsonObject().put("nwkKey", appKey).put("appKey", appKey));
    String path = "/api/devices/" + p.devEui() + "/keys";
    return call(HttpMethod.PUT, path, body).compose(status -> {
      if (status / 100 == 2) {
        return Future.succeededFuture();
      }
      return call(HttpMethod.POST, path, body).compose(created -> created / 100 == 2 ? Future.<Void>succeededFuture()
          : Future.failedFuture("ChirpStack answered " + created + " to the device keys"));
    });
  }

  /** PUT to update; when ChirpStack has no such device (404), POST to create. */
  private Future<Void> upsert(String itemPath, String collectionPath, JsonObject body) {
    return call(HttpMethod.PUT, itemPath, body).compose(status -> {
      if (status / 100 == 2) {
        return Future.succeededFuture();
      }
      if (status != 404) {
        return Future.failedFuture("ChirpStack answered " + status + " to " + itemPath);
      }
      return call(HttpMethod.POST, collectionPath, body).compose(created -> created / 100 == 2
          ? Future.<Void>succeededFuture() : Future.failedFuture("ChirpStack answered " + created + " creating"));
    });
  }

  private Future<Integer> call(HttpMethod method, String path, JsonObject body) {
    int port = base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
    String prefix = base.getRawPath() == null ? "" : base.getRawPath();
    RequestOptions options = new RequestOptions().setMethod(method).setHost(base.getHost()).setPort(port)
        .setURI(prefix + path).setTimeout(10_000)
        .putHeader("Authorization", "Bearer " + settings.apiToken())
        .putHeader("Grpc-Metadata-Authorization", "Bearer " + settings.apiToken())
        .putHeader("Accept", "application/json");
    return http.request(options).compose(req -> {
      if (body == null) {
        return req.send();
      }
      return req.putHeader("Content-Type", "application/json").send(Buffer.buffer(body.encode()));
    }).compose(resp -> resp.body().map(b -> resp.statusCode()));
  }

  private void count(String action, String outcome) {
    meters.counter("gridline.lorawan.chirpstack.sync", "action", action, "outcome", outcome).increment();
  }
}
