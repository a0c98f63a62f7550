package io.gridline.api.lorawan;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.api.devices.Device;
import io.gridline.api.devices.RegistryEvents;
import io.gridline.api.http.Access;
import io.gridline.api.http.Bodies;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.gridline.api.http.Respond;
import io.gridline.contracts.registry.DeviceChanged.Change;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/v1/lorawan/devices}: LoRaWAN devices of the caller's tenant, each a registry device of kind
 * {@code lorawan} (created and deleted with it) and its LoRaWAN row:
 * <ul>
 *   <li>{@code POST} {@code {devEui, joinEui, appKey, class, region, name, model?, ...}} → 201 with the device;</li>
 *   <li>{@code GET} (the list envelope), {@code GET /{devEui}} (activation state and counters, never keys),
 *   {@code DELETE /{devEui}};</li>
 *   <li>{@code POST /{devEui}/activate}: activation by personalisation, 204;</li>
 *   <li>{@code GET /{devEui}/frames?limit=} (default 100, at most 1000): the newest uplinks, newest first.</li>
 * </ul>
 */
public final class LorawanDeviceRoutes {
  static final int FRAMES_DEFAULT = 100;
  static final int FRAMES_MAX = 1_000;
  private final LorawanDeviceRepository devices;
  private final RegistryEvents events;

  public LorawanDeviceRoutes(LorawanDeviceRepository devices, RegistryEvents events) {
    this.devices = devices;
    this.events = events;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/lorawan/devices", Access.TENANT_WRITE, this::create);
    endpoints.add(GET, "/api/v1/lorawan/devices", Access.TENANT_READ, this::list);
    endpoints.add(GET, "/api/v1/lorawan/devices/:devEui", Access.TENANT_READ, this::get);
    endpoints.add(DELETE, "/api/v1/lorawan/devices/:devEui", Access.TENANT_WRITE, this::delete);
    endpoints.add(POST, "/api/v1/lorawan/devices/:devEui/activate", Access.TENANT_WRITE, this::activate);
    endpoints.add(GET, "/api/v1/lorawan/devices/:devEui/frames", Access.TENANT_READ, this::frames);
  }

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Bodies.jsonObject(ctx)
        .compose(LorawanDeviceInput::of)
        .compose(in -> devices.create(caller.tenantId(), in))
        .onSuccess(device -> events.deviceChanged(device, Change.CREATED))
        .compose(device -> devices.find(caller.tenantId(), device.externalId()))
        .onComplete(Respond.json(ctx, 201, LorawanDeviceRepository.Found::view));
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Page.of(ctx)
        .compose(page -> devices.list(caller.tenantId(), page).map(slice -> page.envelope(slice, json -> json)))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    LorawanIds.devEui(ctx)
        .compose(devEui -> devices.find(caller.tenantId(), devEui))
        .onComplete(Respond.json(ctx, 200, LorawanDeviceRepository.Found::view));
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    LorawanIds.devEui(ctx)
        .compose(devEui -> devices.find(caller.tenantId(), devEui))
        .compose(devices::delete)
        .onSuccess(device -> events.deviceChanged(device, Change.DELETED))
        .<Device>onComplete(Respond.noContent(ctx));
  }

  private void activate(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    LorawanIds.devEui(ctx)
        .compose(devEui -> devices.find(caller.tenantId(), devEui))
        .compose(device -> Bodies.jsonObject(ctx).compose(ActivationInput::of)
            .compose(in -> devices.activate(device, in)))
        .onComplete(Respond.noContent(ctx));
  }

  private void frames(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    LorawanIds.devEui(ctx)
        .compose(devEui -> limit(ctx).compose(limit -> devices.find(caller.tenantId(), devEui)
            .compose(device -> devices.frames(device, limit))
            .map(slice -> new Page(1, limit).envelope(slice, json -> json))))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private static Future<Integer> limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null) {
      return Future.succeededFuture(FRAMES_DEFAULT);
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= FRAMES_MAX) {
        return Future.succeededFuture(limit);
      }
    } catch (NumberFormatException e) {
      // falls through to the 400
    }
    return Future.failedFuture(Problem.invalid("limit", "must be an integer between 1 and " + FRAMES_MAX));
  }
}
