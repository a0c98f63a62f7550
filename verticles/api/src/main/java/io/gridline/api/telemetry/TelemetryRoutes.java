package io.gridline.api.telemetry;

import static io.vertx.core.http.HttpMethod.GET;

import io.gridline.api.devices.Device;
import io.gridline.api.devices.DeviceRepository;
import io.gridline.api.http.Access;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.PathIds;
import io.gridline.api.http.Respond;
import io.gridline.api.http.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** {@code /api/v1/devices/{id}/telemetry}: a tenant reads what its devices reported, raw or bucketed, and the latest. */
public final class TelemetryRoutes {
  private final DeviceRepository devices;
  private final TelemetryRepository telemetry;
  private final Clock clock;
  private final Duration maxRange;

  public TelemetryRoutes(DeviceRepository devices, TelemetryRepository telemetry, Clock clock, Duration maxRange) {
    this.devices = devices;
    this.telemetry = telemetry;
    this.clock = clock;
    this.maxRange = maxRange;
  }

  /** One series request on its way: the caller's device, the validated query, the datapoint the label names. */
  private record SeriesRequest(Device device, TelemetryQuery query, Optional<Integer> datapointId) {}

  public void mount(Endpoints endpoints) {
    endpoints.add(GET, "/api/v1/devices/:id/telemetry", Access.TENANT_READ, this::series);
    endpoints.add(GET, "/api/v1/devices/:id/telemetry/latest", Access.TENANT_READ, this::latest);
  }

  private void series(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> TelemetryQuery.of(ctx.queryParams(), clock, maxRange)
            .compose(query -> devices.find(caller.tenantId(), id)       // 404 for another tenant's device
                .compose(device -> telemetry.datapointId(query.label())
                    .map(dp -> new SeriesRequest(device, query, dp)))))
        .compose(this::readSeries)
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private Future<JsonObject> readSeries(SeriesRequest r) {
    TelemetryQuery q = r.query();
    JsonObject body = new JsonObject().put("deviceId", r.device().id()).put("label", q.label())
        .put("from", Timestamps.format(q.from().atOffset(ZoneOffset.UTC)))
        .put("to", Timestamps.format(q.to().atOffset(ZoneOffset.UTC)));
    if (q.bucket().isPresent()) {
      body.put("bucket", q.bucket().get().toString());
      Future<List<TelemetryRepository.Bucket>> buckets = r.datapointId().isEmpty() ? Future.succeededFuture(List.of())
          : telemetry.buckets(r.device().id(), r.datapointId().get(), q.from(), q.to(), q.bucket().get().toMillis());
      return buckets.map(list -> body.put("buckets", new JsonArray(list.stream().map(b -> new JsonObject()
          .put("t", Timestamps.format(b.t())).put("avg", b.avg()).put("min", b.min()).put("max", b.max())
          .put("count", b.count())).toList())));
    }
    Future<List<TelemetryRepository.Point>> points = r.datapointId().isEmpty() ? Future.succeededFuture(List.of())
        : telemetry.points(r.device().id(), r.datapointId().get(), q.from(), q.to(), TelemetryQuery.MAX_POINTS + 1);
    return points.compose(list -> list.size() > TelemetryQuery.MAX_POINTS
        ? Future.failedFuture(TelemetryQuery.tooManyPoints())
        : Future.succeededFuture(body.put("points", new JsonArray(list.stream()
            .map(p -> new JsonObject().put("t", Timestamps.format(p.t())).put("v", p.v())).toList()))));
  }

  private void latest(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> devices.find(caller.tenantId(), id))
        .compose(device -> telemetry.latest(device.id()).map(values -> new JsonObject().put("deviceId", device.id())
            .put("values", new JsonArray(values.stream().map(v -> new JsonObject().put("label", v.label())
                .put("t", Timestamps.format(v.t())).put("v", v.v()).put("unit", v.unit())).toList()))))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }
}
