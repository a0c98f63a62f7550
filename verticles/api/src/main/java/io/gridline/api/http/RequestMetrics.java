package io.gridline.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times every request, labelled by method, route pattern and status:
 * {@code gridline_api_requests_total} and {@code gridline_api_request_seconds}. Every label has a bounded set of values,
 * whatever a client sends: seven methods and {@code other}, the route patterns and {@code unmatched}, status codes.
 */
final class RequestMetrics implements PlatformHandler {
  private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
      HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);
  private final MeterRegistry meters;

  RequestMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ended -> record(ctx, System.nanoTime() - start));
    ctx.next();
  }

  private void record(RoutingContext ctx, long nanos) {
    String method = methodLabel(ctx.request().method());
    String route = Endpoints.pattern(ctx);
    String status = String.valueOf(ctx.response().getStatusCode());
    Counter.builder("gridline.api.requests").description("API requests by method, route pattern and status")
        .tags("method", method, "route", route, "status", status).register(meters).increment();
    Timer.builder("gridline.api.request").description("API request latency")
        .tags("method", method, "route", route).register(meters).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The method as a label: any token is a valid HTTP method, so one the API never serves is {@code other}, or each
   * made-up method would start a new series (routes are bounded the same way: an unmatched path is {@code unmatched}).
   */
  static String methodLabel(HttpMethod method) {
    return KNOWN_METHODS.contains(method) ? method.name() : "other";
  }
}
