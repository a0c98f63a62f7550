package io.gridline.api.http;

import io.gridline.api.http.Problem.FieldError;
import io.gridline.runtime.UntrustedText;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body as a JSON object, or a 400: naming {@code body} when it is not one, else naming every string value
 * and object key, nested too, that PostgreSQL could not store. Every route reads its body here, so this one check
 * keeps U+0000 and unpaired surrogates out of every {@code text} and {@code jsonb} column: PostgreSQL refuses NUL
 * (SQLSTATE 22021, 22P05), which made such a body a 500, and a lone surrogate would silently turn into {@code ?}.
 */
public final class Bodies {
  static final String UNSTORABLE = "must not contain U+0000 (NUL) or an unpaired surrogate";
  /** Enough to show the caller what is wrong without one body of a million bad strings making a huge answer. */
  private static final int MAX_ERRORS = 20;

  private Bodies() {}

  public static Future<JsonObject> jsonObject(RoutingContext ctx) {
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
    return storable(json);
  }

  /** A JSON object read otherwise (e.g. from protobuf), under the same check. */
  public static Future<JsonObject> storable(JsonObject json) {
    List<FieldError> unstorable = new ArrayList<>();
    collectUnstorable(json, "", unstorable);
    return unstorable.isEmpty() ? Future.succeededFuture(json) : Future.failedFuture(Problem.validation(unstorable));
  }

  /**
   * Names fields the way the input classes do: {@code metadata.room}, {@code modes[0].fields[1].unit}. A bad key is
   * reported on the object holding it ({@code body} at the top), since the key itself cannot be quoted safely.
   */
  private static void collectUnstorable(Object value, String path, List<FieldError> out) {
    if (out.size() >= MAX_ERRORS) {
      return;
    }
    if (value instanceof String s) {
      if (!UntrustedText.isStorable(s)) {
        out.add(new FieldError(path, UNSTORABLE));
      }
    } else if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        if (out.size() >= MAX_ERRORS) {
          return;
        }
        if (!UntrustedText.isStorable(key)) {
          out.add(new FieldError(path.isEmpty() ? "body" : path, "has a key that " + UNSTORABLE));
        } else {
          collectUnstorable(object.getValue(key), path.isEmpty() ? key : path + "." + key, out);
        }
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        collectUnstorable(array.getValue(i), path + "[" + i + "]", out);
      }
    }
  }
}
