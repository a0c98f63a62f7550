package io.gridline.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The router's failure handler: every error leaves as {@code application/problem+json}. */
final class Problems implements Handler<RoutingContext> {
  static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  private final MeterRegistry meters;

  Problems(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Problem problem = problemOf(ctx);
    if (problem.isValidation()) {
      Counter.builder("gridline.api.validation.failures").description("requests rejected with 400 naming the fields")
          .tag("route", Endpoints.pattern(ctx)).register(meters).increment();
    }
    send(ctx, problem);
  }

  /** Also the router's handler for its own 404/405, which never reach a route. */
  static void send(RoutingContext ctx, Problem problem) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    problem.headers().forEach(ctx.response()::putHeader);
    ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", CONTENT_TYPE)
        .end(problem.toJson().toBuffer());
  }

  private static Problem problemOf(RoutingContext ctx) {
    if (ctx.failure() instanceof Problem p) {
      return p;
    }
    // A 4xx from Vert.x itself (body limit, a query string that does not decode) may carry an exception: still the
    // caller's mistake, never a 500.
    if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      return Problem.ofStatus(ctx.statusCode());
    }
    // A bug or a store outage: the caller gets a generic 500, the log gets the cause (never request bodies or tokens).
    log.error("{} {} failed", ctx.request().method(), Endpoints.pattern(ctx), ctx.failure());
    return Problem.ofStatus(500);
  }
}
