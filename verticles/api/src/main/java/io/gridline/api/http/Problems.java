package io.gridline.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The router's failure handler: every error leaves as {@code application/problem+json}. */
public final class Problems implements Handler<RoutingContext> {
  public static final String CONTENT_TYPE = "application/problem+json";
  /** How much of a refused request's unread body is read and dropped to keep its connection; more closes it. */
  static final long MAX_DROPPED_BYTES = 65_536;
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
    dropUnreadBody(ctx.request());
  }

  /**
   * A refusal can leave before the body was read (401, 403 or 429 from the access check, 413 from Content-Length),
   * while the request sits paused. HTTP/1.1 must read the rest before the connection can carry the next request, so a
   * short remainder is read and dropped (nothing is kept); past {@link #MAX_DROPPED_BYTES} the connection is closed
   * rather than reading on for a client that streams without end. HTTP/2 resets just the stream (NO_ERROR: stop
   * sending, the answer is complete).
   */
  private static void dropUnreadBody(HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      request.response().reset(0);
      return;
    }
    long[] dropped = {0};
    request.handler(chunk -> {
      dropped[0] += chunk.length();
      if (dropped[0] > MAX_DROPPED_BYTES) {
        request.connection().close();
      }
    });
    request.resume();
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
    if (ctx.failure() instanceof ConnectionPoolTooBusyException) {
      return Problem.overloaded("the database is busy: every connection is in use and pg.max-wait-queue requests "
          + "already wait", 1);
    }
    // A bug or a store outage: the caller gets a generic 500, the log gets the cause (never request bodies or tokens).
    log.error("{} {} failed", ctx.request().method(), Endpoints.pattern(ctx), ctx.failure());
    return Problem.ofStatus(500);
  }
}
