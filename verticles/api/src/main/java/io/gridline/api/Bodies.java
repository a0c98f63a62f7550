package io.gridline.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The request body as a JSON object, or a 400 naming {@code body}. */
final class Bodies {
  private Bodies() {}

  static Future<JsonObject> jsonObject(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return Future.failedFuture(Problem.invalid("body", "a JSON object is required"));
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      return Future.failedFuture(Problem.invalid("body", "malformed JSON"));
    }
    if (!(value instanceof JsonObject json)) {
      return Future.failedFuture(Problem.invalid("body", "must be a JSON object"));
    }
    return Future.succeededFuture(json);
  }
}
