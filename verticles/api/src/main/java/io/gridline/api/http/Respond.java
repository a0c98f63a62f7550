package io.gridline.api.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** The last step of every handler chain: a JSON success, or the failure handed to {@link Problems}. */
public final class Respond {
  private Respond() {}

  public static <T> Handler<AsyncResult<T>> json(RoutingContext ctx, int status, Function<T, JsonObject> toJson) {
    return ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(toJson.apply(ar.result()).toBuffer());
    };
  }

  /** For responses carrying a secret shown once: no cache may keep a copy. */
  public static <T> Handler<AsyncResult<T>> secretJson(RoutingContext ctx, int status, Function<T, JsonObject> toJson) {
    ctx.response().putHeader("Cache-Control", "no-store");
    return json(ctx, status, toJson);
  }

  public static <T> Handler<AsyncResult<T>> noContent(RoutingContext ctx) {
    return ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().setStatusCode(204).end();
    };
  }
}
