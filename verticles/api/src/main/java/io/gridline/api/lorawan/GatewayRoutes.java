package io.gridline.api.lorawan;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.api.http.Access;
import io.gridline.api.http.Bodies;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.Respond;
import io.gridline.api.http.Validation;
import io.gridline.contracts.lorawan.LorawanAddresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v1/lorawan/gateways}: the gateways whose packet forwarders may talk to the network server (unless
 * {@code lorawan.accept-unknown-gateways}). A gateway id is its EUI, 16 hex digits, kept in lower case.
 */
public final class GatewayRoutes {
  static final List<String> REGIONS = List.of("EU868", "US915");
  private static final Set<String> FIELDS = Set.of("gatewayId", "name", "region");
  private static final Set<String> READ_ONLY = Set.of("lastSeenAt", "stats", "createdAt", "updatedAt");
  private final GatewayRepository gateways;
  private final EventBus bus;

  public GatewayRoutes(GatewayRepository gateways, EventBus bus) {
    this.gateways = gateways;
    this.bus = bus;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/lorawan/gateways", Access.TENANT_WRITE, this::create);
    endpoints.add(GET, "/api/v1/lorawan/gateways", Access.TENANT_READ, this::list);
    endpoints.add(GET, "/api/v1/lorawan/gateways/:gatewayId", Access.TENANT_READ, this::get);
    endpoints.add(DELETE, "/api/v1/lorawan/gateways/:gatewayId", Access.TENANT_WRITE, this::delete);
  }

  private record GatewayInput(String gatewayId, String name, String region) {
    static Future<GatewayInput> of(JsonObject body) {
      Validation v = Validation.of(body, FIELDS, READ_ONLY);
      String id = v.hex("gatewayId", true, 8);
      String name = v.text("name", true, 200);
      String region = v.oneOf("region", REGIONS);
      return v.result(() -> new GatewayInput(id, name, region));
    }
  }

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Bodies.jsonObject(ctx)
        .compose(GatewayInput::of)
        .compose(in -> gateways.create(caller.tenantId(), in.gatewayId(), in.name(), in.region()))
        .onSuccess(json -> announce(json.getString("gatewayId")))
        .onComplete(Respond.json(ctx, 201, json -> json));
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Page.of(ctx)
        .compose(page -> gateways.list(caller.tenantId(), page).map(slice -> page.envelope(slice, json -> json)))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    LorawanIds.gatewayId(ctx)
        .compose(id -> gateways.find(caller.tenantId(), id))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    LorawanIds.gatewayId(ctx)
        .compose(id -> gateways.delete(caller.tenantId(), id).onSuccess(v -> announce(id)))
        .onComplete(Respond.noContent(ctx));
  }

  /** Network servers reload their registered gateways (a new one works at once; a deleted one stops at once). */
  private void announce(String gatewayId) {
    bus.publish(LorawanAddresses.GATEWAY_CHANGED, gatewayId);
  }
}
