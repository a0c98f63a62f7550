package io.gridline.api.devices;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

import io.gridline.api.http.Access;
import io.gridline.api.http.Bodies;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.PathIds;
import io.gridline.api.http.Respond;
import io.gridline.api.http.Validation;
import io.gridline.contracts.registry.DeviceChanged.Change;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/devices}: a tenant manages its own devices with its API keys. */
public final class DeviceRoutes {
  private final DeviceRepository devices;
  private final RegistryEvents events;

  public DeviceRoutes(DeviceRepository devices, RegistryEvents events) {
    this.devices = devices;
    this.events = events;
  }

  /** {@code GET /devices}' query: an optional kind and the page. */
  record Filter(String kind, Page page) {
    static Future<Filter> of(RoutingContext ctx) {
      Validation v = Validation.empty();
      String kind = ctx.queryParams().get("kind");
      if (kind != null && !ExternalIds.isKind(kind)) {
        v.reject("kind", "must be one of " + String.join(", ", ExternalIds.KINDS));
      }
      Page page = Page.read(ctx.queryParams(), v);
      return v.result(() -> new Filter(kind, page));
    }
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/devices", Access.TENANT_WRITE, this::create);
    endpoints.add(GET, "/api/v1/devices", Access.TENANT_READ, this::list);
    endpoints.add(GET, "/api/v1/devices/:id", Access.TENANT_READ, this::get);
    endpoints.add(PUT, "/api/v1/devices/:id", Access.TENANT_WRITE, this::replace);
    endpoints.add(DELETE, "/api/v1/devices/:id", Access.TENANT_WRITE, this::delete);
  }

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Bodies.jsonObject(ctx)
        .compose(DeviceInput::forCreate)
        .compose(input -> devices.create(caller.tenantId(), input))
        .onSuccess(device -> events.deviceChanged(device, Change.CREATED))
        .onComplete(Respond.json(ctx, 201, Device::toJson));
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Filter.of(ctx)
        .compose(filter -> devices.list(caller.tenantId(), filter.kind(), filter.page())
            .map(slice -> filter.page().envelope(slice, Device::toJson)))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> devices.find(caller.tenantId(), id))
        .onComplete(Respond.json(ctx, 200, Device::toJson));
  }

  private void replace(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> Bodies.jsonObject(ctx)
            .compose(body -> devices.find(caller.tenantId(), id)
                .compose(current -> DeviceInput.forUpdate(body, current)))
            .compose(input -> devices.update(caller.tenantId(), id, input)))
        .onSuccess(device -> events.deviceChanged(device, Change.UPDATED))
        .onComplete(Respond.json(ctx, 200, Device::toJson));
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> devices.delete(caller.tenantId(), id))
        .onSuccess(device -> events.deviceChanged(device, Change.DELETED))
        .onComplete(Respond.noContent(ctx));
  }
}
