package io.gridline.api.integrations;

import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.api.devices.Device;
import io.gridline.api.devices.DeviceRepository;
import io.gridline.api.http.Access;
import io.gridline.api.http.Bodies;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Problem;
import io.gridline.api.http.Respond;
import io.gridline.contracts.lorawan.IntegrationEvent;
import io.gridline.runtime.device.ExternalIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * ChirpStack's HTTP integration in (seed 001), for a site whose LoRaWAN network server is ChirpStack: its events are
 * checked, matched to the tenant's registry device of kind {@code lorawan} by DevEUI, and handed to the lorawan
 * verticle through Kafka ({@link IntegrationHandOver}), which stores the frame, emits {@code lorawan.uplink} and
 * decodes the payload as for its own uplinks. The steps: {@code readEvent → findDevice → handOver → 202}.
 * <ul>
 *   <li>{@code POST /api/v1/integrations/chirpstack?event=up|join|status|ack|txack|log}: ChirpStack v4 JSON
 *   (its HTTP integration with the JSON marshaler; a tenant write key in {@code Authorization: Bearer}, set as a
 *   custom header in ChirpStack), or its protobuf marshaler ({@code application/octet-stream}, the {@code proto}
 *   module's schema).</li>
 *   <li>{@code POST /api/v1/lorawan/webhooks/{tenantId}/uplink|status|error}: seed 001's paths, v3 payloads
 *   ({@code devEUI}, {@code objectJSON}, {@code rxInfo[].rssi}); the path's tenant must be the key's.</li>
 * </ul>
 * A device the tenant does not have is 202 and counted ({@code outcome=unknown-device}), so ChirpStack does not retry
 * for ever; a malformed body is 400 naming each bad field. Counted (outcome accepted, unknown-device, malformed or
 * failed) in
 * {@code gridline_api_integration_events_total{source, event, outcome}}.
 */
public final class ChirpstackRoutes {
  static final String SOURCE = "chirpstack";
  private final DeviceRepository devices;
  private final IntegrationHandOver handOver;
  private final MeterRegistry meters;

  public ChirpstackRoutes(DeviceRepository devices, IntegrationHandOver handOver, MeterRegistry meters) {
    this.devices = devices;
    this.handOver = handOver;
    this.meters = meters;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/integrations/chirpstack", Access.TENANT_WRITE, this::v4);
    endpoints.add(POST, "/api/v1/lorawan/webhooks/:tenantId/uplink", Access.TENANT_WRITE,
        ctx -> v3(ctx, "up", ChirpstackEvent::v3Uplink));
    endpoints.add(POST, "/api/v1/lorawan/webhooks/:tenantId/status", Access.TENANT_WRITE,
        ctx -> v3(ctx, "status", ChirpstackEvent::v3Status));
    endpoints.add(POST, "/api/v1/lorawan/webhooks/:tenantId/error", Access.TENANT_WRITE,
        ctx -> v3(ctx, "log", ChirpstackEvent::v3Error));
  }

  private void v4(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String event = ctx.queryParams().get("event");
    long now = System.currentTimeMillis();
    readEvent(ctx, event, true)
        .compose(body -> ChirpstackEvent.v4(event, body, now))
        .compose(e -> findDevice(caller, e))
        .compose(this::handOver)
        .onComplete(ar -> count(event, ar.succeeded() ? ar.result() : failed(ar.cause())))
        .onComplete(Respond.json(ctx, 202, outcome -> new JsonObject().put("outcome", outcome)));
  }

  private void v3(RoutingContext ctx, String event,
      BiFunction<JsonObject, Long, Future<ChirpstackEvent>> parse) {
    Caller caller = Caller.of(ctx);
    long now = System.currentTimeMillis();
    String tenant = ctx.pathParam("tenantId");
    Future<Void> ownTenant = caller.tenantId().toString().equalsIgnoreCase(tenant) ? Future.succeededFuture()
        : Future.failedFuture(Problem.notFound("no tenant " + tenant + " for this key"));
    ownTenant
        .compose(v -> readEvent(ctx, event, false))
        .compose(body -> parse.apply(body, now))
        .compose(e -> findDevice(caller, e))
        .compose(this::handOver)
        .onComplete(ar -> count(event, ar.succeeded() ? ar.result() : failed(ar.cause())))
        .onComplete(Respond.json(ctx, 202, outcome -> new JsonObject().put("outcome", outcome)));
  }

  /**
   * The event type must be known; the body is ChirpStack's JSON, or its protobuf ({@code application/octet-stream},
   * read into the same JSON form by {@link ChirpstackProtobuf}).
   */
  private static Future<JsonObject> readEvent(RoutingContext ctx, String event, boolean protobuf) {
    if (event == null || !ChirpstackEvent.EVENTS.contains(event)) {
      return Future.failedFuture(Problem.invalid("event", "must be one of " + String.join(", ",
          ChirpstackEvent.EVENTS)));
    }
    String type = String.valueOf(ctx.request().getHeader("Content-Type"));
    if (protobuf && (type.startsWith("application/octet-stream") || type.startsWith("application/protobuf")
        || type.startsWith("application/x-protobuf"))) {
      return ChirpstackProtobuf.toJson(event, ctx.body().buffer()).compose(Bodies::storable);
    }
    if (!type.startsWith("application/json") && !"null".equals(type)) {
      return Future.failedFuture(Problem.unsupportedMediaType("a ChirpStack event is application/json or "
          + (protobuf ? "application/octet-stream (protobuf)" : "nothing else for v3 webhooks") + ", not " + type));
    }
    return Bodies.jsonObject(ctx);
  }

  private record Matched(ChirpstackEvent event, Caller caller, Optional<Device> device) {}

  private Future<Matched> findDevice(Caller caller, ChirpstackEvent e) {
    return devices.findByExternalId(caller.tenantId(), ExternalIds.LORAWAN, e.devEui())
        .map(device -> new Matched(e, caller, device));
  }

  /** @return the outcome: {@code accepted}, or {@code unknown-device} (nothing handed on) */
  private Future<String> handOver(Matched m) {
    if (m.device().isEmpty()) {
      return Future.succeededFuture("unknown-device");
    }
    ChirpstackEvent e = m.event();
    return handOver.send(new IntegrationEvent(m.caller().tenantId().toString(), m.device().get().id(), e.devEui(),
        SOURCE, e.event(), e.receivedAt(), e.body())).map("accepted");
  }

  private static String failed(Throwable err) {
    return err instanceof Problem p && (p.status() == 400 || p.status() == 415) ? "malformed" : "failed";
  }

  private void count(String event, String outcome) {
    String known = event != null && ChirpstackEvent.EVENTS.contains(event) ? event : "other";
    meters.counter("gridline.api.integration.events", "source", SOURCE, "event", known, "outcome", outcome)
        .increment();
  }
}
