package io.gridline.api.tenants;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

import io.gridline.api.devices.RegistryEvents;
import io.gridline.api.http.Access;
import io.gridline.api.http.Bodies;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.PathIds;
import io.gridline.api.http.Respond;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/tenants}: the operator manages tenants with the admin key. */
public final class TenantRoutes {
  private final TenantRepository tenants;
  private final RegistryEvents events;

  public TenantRoutes(TenantRepository tenants, RegistryEvents events) {
    this.tenants = tenants;
    this.events = events;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/tenants", Access.ADMIN, this::create);
    endpoints.add(GET, "/api/v1/tenants", Access.ADMIN, this::list);
    endpoints.add(GET, "/api/v1/tenants/:id", Access.ADMIN, this::get);
    endpoints.add(PUT, "/api/v1/tenants/:id", Access.ADMIN, this::replace);
    endpoints.add(DELETE, "/api/v1/tenants/:id", Access.ADMIN, this::delete);
  }

  private void create(RoutingContext ctx) {
    Bodies.jsonObject(ctx)
        .compose(TenantInput::parse)
        .compose(tenants::create)
        .onComplete(Respond.json(ctx, 201, Tenant::toJson));
  }

  private void list(RoutingContext ctx) {
    Page.of(ctx)
        .compose(page -> tenants.list(page).map(slice -> page.envelope(slice, Tenant::toJson)))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void get(RoutingContext ctx) {
    PathIds.uuid(ctx, "id")
        .compose(tenants::find)
        .onComplete(Respond.json(ctx, 200, Tenant::toJson));
  }

  private void replace(RoutingContext ctx) {
    PathIds.uuid(ctx, "id")
        .compose(id -> Bodies.jsonObject(ctx)
            .compose(TenantInput::parse)
            .compose(input -> tenants.update(id, input)))
        .onComplete(Respond.json(ctx, 200, Tenant::toJson));
  }

  private void delete(RoutingContext ctx) {
    PathIds.uuid(ctx, "id")
        .compose(id -> tenants.delete(id)
            .onSuccess(keyIds -> keyIds.forEach(keyId -> events.apiKeyRevoked(keyId, id))))
        .onComplete(Respond.noContent(ctx));
  }
}
