package io.gridline.api.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Which slice of a list the caller asked for: {@code ?page=1&size=50}, 1-based, size at most 500. */
public record Page(int page, int size) {
  static final int DEFAULT_SIZE = 50;
  static final int MAX_SIZE = 500;
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

  /** One slice of rows and the number of rows in the whole list. */
  public record Slice<T>(List<T> items, long total) {}

  public static Future<Page> of(RoutingContext ctx) {
    Validation v = Validation.empty();
    Page page = read(ctx.queryParams(), v);
    return v.result(() -> page);
  }

  /** Reads page and size into {@code v}'s errors, so a list with more filters reports all bad parameters at once. */
  public static Page read(MultiMap query, Validation v) {
    int page = number(query, "page", 1, Integer.MAX_VALUE, 1, v);
    int size = number(query, "size", 1, MAX_SIZE, DEFAULT_SIZE, v);
    return new Page(page, size);
  }

  public long offset() {
    return (long) (page - 1) * size;
  }

  public <T> JsonObject envelope(Slice<T> slice, Function<T, JsonObject> toJson) {
    return new JsonObject().put("items", new JsonArray(slice.items().stream().map(toJson).toList()))
        .put("page", page).put("size", size).put("total", slice.total());
  }

  private static int number(MultiMap query, String name, int min, int max, int fallback, Validation v) {
    String raw = query.get(name);
    if (raw == null) {
      return fallback;
    }
    if (!DIGITS.matcher(raw).matches() || Integer.parseInt(raw) < min || Integer.parseInt(raw) > max) {
      v.reject(name, max == Integer.MAX_VALUE ? "must be an integer of at least " + min
          : "must be an integer from " + min + " to " + max);
      return fallback;
    }
    return Integer.parseInt(raw);
  }
}
