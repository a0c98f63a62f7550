package io.gridline.api.tenants;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.api.devices.RegistryEvents;
import io.gridline.api.http.Access;
import io.gridline.api.http.Bodies;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.PathIds;
import io.gridline.api.http.Respond;
import io.gridline.runtime.Tokens;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** {@code /api/v1/tenants/{id}/api-keys}: the operator issues and revokes a tenant's keys with the admin key. */
public final class ApiKeyRoutes {
  private final TenantRepository tenants;
  private final ApiKeyRepository keys;
  private final RegistryEvents events;

  public ApiKeyRoutes(TenantRepository tenants, ApiKeyRepository keys, RegistryEvents events) {
    this.tenants = tenants;
    this.keys = keys;
    this.events = events;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/tenants/:id/api-keys", Access.ADMIN, this::issue);
    endpoints.add(GET, "/api/v1/tenants/:id/api-keys", Access.ADMIN, this::list);
    endpoints.add(DELETE, "/api/v1/tenants/:id/api-keys/:keyId", Access.ADMIN, this::revoke);
  }

  /** The token is generated here and shown in this response only; the table keeps its hash. */
  private void issue(RoutingContext ctx) {
    PathIds.uuid(ctx, "id")
        .compose(tenantId -> Bodies.jsonObject(ctx)
            .compose(ApiKeyInput::parse)
            .compose(input -> issue(tenantId, input)))
        .onComplete(Respond.secretJson(ctx, 201, IssuedKey::toJson));
  }

  private Future<IssuedKey> issue(UUID tenantId, ApiKeyInput input) {
    String token = Tokens.generate(Tokens.API_KEY_PREFIX);
    return keys.create(tenantId, input, Tokens.hash(token)).map(key -> new IssuedKey(key, token));
  }

  private void list(RoutingContext ctx) {
    PathIds.uuid(ctx, "id")
        .compose(tenants::find)
        .compose(tenant -> Page.of(ctx)
            .compose(page -> keys.list(tenant.id(), page).map(slice -> page.envelope(slice, ApiKey::toJson))))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void revoke(RoutingContext ctx) {
    PathIds.uuid(ctx, "id")
        .compose(tenantId -> PathIds.uuid(ctx, "keyId")
            .compose(keyId -> keys.revoke(tenantId, keyId)
                .onSuccess(v -> events.apiKeyRevoked(keyId, tenantId))))
        .onComplete(Respond.noContent(ctx));
  }
}
