package io.gridline.api.webhooks;

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
import io.gridline.api.http.Problem;
import io.gridline.api.http.Respond;
import io.gridline.api.http.Timestamps;
import io.gridline.runtime.WebhookTargets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code /api/v1/webhooks}: a tenant's webhook subscriptions. Create is
 * {@code readInput → checkTarget → store} and answers with the secret, shown only then; rotate-secret answers with the
 * new one. No other response carries a secret. Custom headers' values (often the receiver's credentials) are shown to
 * write keys only: a read-only key sees their names with {@code "***"}.
 */
public final class WebhookRoutes {
  private final Vertx vertx;
  private final WebhookRepository webhooks;
  private final WebhookApiSettings settings;
  private final WebhookSecrets secrets;

  public WebhookRoutes(Vertx vertx, WebhookRepository webhooks, WebhookApiSettings settings) {
    this.vertx = vertx;
    this.webhooks = webhooks;
    this.settings = settings;
    this.secrets = new WebhookSecrets(settings.secrets());
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/webhooks", Access.TENANT_WRITE, this::create);
    endpoints.add(GET, "/api/v1/webhooks", Access.TENANT_READ, this::list);
    endpoints.add(GET, "/api/v1/webhooks/:id", Access.TENANT_READ, this::get);
    endpoints.add(PUT, "/api/v1/webhooks/:id", Access.TENANT_WRITE, this::replace);
    endpoints.add(DELETE, "/api/v1/webhooks/:id", Access.TENANT_WRITE, this::delete);
    endpoints.add(POST, "/api/v1/webhooks/:id/rotate-secret", Access.TENANT_WRITE, this::rotateSecret);
  }

  /** The subscription and its secret, as create answers (the only time the secret is shown besides a rotation). */
  private record Created(Webhook webhook, String secret) {}

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Bodies.jsonObject(ctx)
        .compose(WebhookInput::forCreate)
        .compose(this::checkTarget)
        .compose(input -> store(caller, input))
        .onComplete(Respond.secretJson(ctx, 201, c -> c.webhook().toJson().put("secret", c.secret())));
  }

  private Future<Created> store(Caller caller, WebhookInput input) {
    UUID id = UUID.randomUUID();
    String secret = input.secret() != null ? input.secret() : WebhookSecrets.generate();
    return webhooks.create(caller.tenantId(), id, input, secrets.seal(id, secret)).map(w -> new Created(w, secret));
  }

  /**
   * The SSRF guard at subscription time: scheme, DNS and private addresses (the webhooks verticle checks again before
   * every delivery). Resolving blocks, so it runs on a worker, unordered so lookups do not queue behind each other.
   */
  private Future<WebhookInput> checkTarget(WebhookInput input) {
    return vertx.executeBlocking(() -> {
      try {
        settings.targets().check(input.url());
        return input;
      } catch (WebhookTargets.Refused refused) {
        throw Problem.targetRefused(refused.getMessage());
      }
    }, false);
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Page.of(ctx)
        .compose(page -> webhooks.list(caller.tenantId(), page)
            .map(slice -> page.envelope(slice, w -> w.toJson(mayReadHeaderValues(caller)))))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.uuid(ctx, "id")
        .compose(id -> webhooks.find(caller.tenantId(), id))
        .onComplete(Respond.json(ctx, 200, w -> w.toJson(mayReadHeaderValues(caller))));
  }

  /** Header values are the receiver's credentials as often as not: for those who may change them anyway. */
  private static boolean mayReadHeaderValues(Caller caller) {
    return caller.role() == Caller.Role.WRITE;
  }

  private void replace(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.uuid(ctx, "id")
        .compose(id -> Bodies.jsonObject(ctx)
            .compose(WebhookInput::forReplace)
            .compose(this::checkTarget)
            .compose(input -> webhooks.replace(caller.tenantId(), id, input)))
        .onComplete(Respond.json(ctx, 200, Webhook::toJson));
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.uuid(ctx, "id")
        .compose(id -> webhooks.delete(caller.tenantId(), id))
        .onComplete(Respond.noContent(ctx));
  }

  private void rotateSecret(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String secret = WebhookSecrets.generate();
    PathIds.uuid(ctx, "id")
        .compose(id -> webhooks.rotateSecret(caller.tenantId(), id, secrets.seal(id, secret), settings.secretOverlap()))
        .onComplete(Respond.secretJson(ctx, 200, w -> new JsonObject().put("secret", secret)
            .put("secretRotatedOverlapUntil", Timestamps.format(w.secretRotatedOverlapUntil()))));
  }
}
