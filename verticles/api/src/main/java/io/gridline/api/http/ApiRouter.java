package io.gridline.api.http;

import io.gridline.api.ApiSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;

/** The API's router: request metrics around everything, the routes, and problem+json for every failure. */
public final class ApiRouter {
  private ApiRouter() {}

  public static Router create(Vertx vertx, ApiSettings settings, Authenticator authenticator, MeterRegistry meters,
      Consumer<Endpoints> routes) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestMetrics(meters));
    RateLimits rateLimits = RateLimits.of(vertx, settings.rateLimit(), settings.rateLimitBurst());
    routes.accept(new Endpoints(router, settings.maxBodyBytes(), authenticator, rateLimits));
    router.route().failureHandler(new Problems(meters));
    // Requests no route matched never reach the failure handler, nor does a query string that does not decode when
    // a route with path parameters is matched (Vert.x decodes it then, and answers 400 itself).
    router.errorHandler(404, ctx -> Problems.send(ctx, Problem.ofStatus(404)));
    router.errorHandler(405, ctx -> Problems.send(ctx, Problem.ofStatus(405)));
    router.errorHandler(400, ctx -> Problems.send(ctx, Problem.ofStatus(400)));
    return router;
  }
}
