package io.gridline.api.http;

import io.gridline.api.http.Problem.FieldError;
import io.gridline.runtime.UntrustedText;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Registers the API's routes. Each route records its pattern (metrics label requests by route, not by raw path),
 * checks access while the body is still unread, reads the body, refuses path and query parameters no text column could
 * hold, then runs its handler.
 */
public final class Endpoints {
  private static final String ROUTE = "gridline.route";
  private final Router router;
  private final BodyHandler body;
  private final Authenticator authenticator;
  private final RateLimits rateLimits;

  /** @param rateLimits null when {@code api.rate-limit} is 0 */
  Endpoints(Router router, long maxBodyBytes, Authenticator authenticator, RateLimits rateLimits) {
    this.router = router;
    this.body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    this.authenticator = authenticator;
    this.rateLimits = rateLimits;
  }

  public void add(HttpMethod method, String path, Access access, Handler<RoutingContext> handler) {
    Route route = router.route(method, path).handler(new RoutePattern(path));
    if (access != Access.ANYONE) {
      route.handler(new AccessCheck(access));
    }
    route.handler(body).handler(Endpoints::requireStorableParameters).handler(handler);
  }

  /**
   * Records the route's pattern on the request. A platform handler, because Vert.x only lets those run before the
   * body handler, and a 413 from the body handler should still be counted under its route.
   */
  private record RoutePattern(String path) implements PlatformHandler {
    @Override
    public void handle(RoutingContext ctx) {
      ctx.put(ROUTE, path);
      ctx.next();
    }
  }

  /**
   * Authentication, authorization and the key's rate limit, before a byte of the body is read: otherwise anyone could
   * make the server buffer {@code api.max-body-bytes} per request without a key. The request stays paused while the key
   * is looked up (its bytes wait in the socket); the body handler resumes it, and a refusal drops what is left
   * ({@link Problems}). A security-policy handler, because Vert.x runs those before the body handler.
   */
  private final class AccessCheck implements SecurityPolicyHandler {
    private final Access access;

    AccessCheck(Access access) {
      this.access = access;
    }

    @Override
    public void handle(RoutingContext ctx) {
      ctx.request().pause();
      authenticator.authenticate(ctx.request().getHeader("Authorization"), access)
          .compose(caller -> rateLimits == null ? Future.succeededFuture(caller) : rateLimits.admit(caller))
          .onSuccess(caller -> {
            caller.attachTo(ctx);
            ctx.next();
          })
          .onFailure(ctx::fail);
    }
  }

  /**
   * Path and query parameters are compared with or stored in text columns (a label, a model name): one holding U+0000
   * or an unpaired surrogate is a 400 naming it, here for every route, rather than a database error.
   */
  private static void requireStorableParameters(RoutingContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, String> p : ctx.pathParams().entrySet()) {
      if (!UntrustedText.isStorable(p.getValue())) {
        errors.add(new FieldError(p.getKey(), Bodies.UNSTORABLE));
      }
    }
    for (Map.Entry<String, String> p : ctx.queryParams()) {
      if (!UntrustedText.isStorable(p.getValue()) && UntrustedText.isStorable(p.getKey())) {
        errors.add(new FieldError(p.getKey(), Bodies.UNSTORABLE));
      }
    }
    if (errors.isEmpty()) {
      ctx.next();
    } else {
      ctx.fail(Problem.validation(errors));
    }
  }

  /** The pattern of the route serving {@code ctx}, or {@code unmatched}. */
  static String pattern(RoutingContext ctx) {
    String path = ctx.get(ROUTE);
    return path == null ? "unmatched" : path;
  }
}
