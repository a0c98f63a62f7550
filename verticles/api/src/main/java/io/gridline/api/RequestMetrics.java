package io.gridline.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times every request, labelled by method, route pattern and status:
 * {@code gridline_api_requests_total} and {@code gridline_api_request_seconds}.
 */
final class RequestMetrics implements PlatformHandler {
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
    String method = ctx.request().method().name();
    String route = Endpoints.pattern(ctx);
    String status = String.valueOf(ctx.response().getStatusCode());
    Counter.builder("gridline.api.requests").description("API requests by method, route pattern and status")
        .tags("method", method, "route", route, "status", status).register(meters).increment();
    Timer.builder("gridline.api.request").description("API request latency")
        .tags("method", method, "route", route).register(meters).record(nanos, TimeUnit.NANOSECONDS);
  }
}
