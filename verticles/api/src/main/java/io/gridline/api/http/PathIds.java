package io.gridline.api.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/** Ids in the request path, or a 400 naming the parameter. */
public final class PathIds {
  private static final Pattern UUID_TEXT =
      Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
  private static final Pattern DEVICE_ID = Pattern.compile("[1-9][0-9]{0,9}");
  private static final Pattern ROW_ID = Pattern.compile("[1-9][0-9]{0,18}");

  private PathIds() {}

  public static Future<UUID> uuid(RoutingContext ctx, String param) {
    String raw = ctx.pathParam(param);
    return raw != null && UUID_TEXT.matcher(raw).matches()
        ? Future.succeededFuture(UUID.fromString(raw))
        : Future.failedFuture(Problem.invalid(param, "must be a UUID"));
  }

  /** Row ids of {@code bigint} identities (e.g. webhook deliveries): 1 to 2^63-1. */
  public static Future<Long> rowId(RoutingContext ctx, String param) {
    String raw = ctx.pathParam(param);
    if (raw != null && ROW_ID.matcher(raw).matches()) {
      try {
        return Future.succeededFuture(Long.parseLong(raw));
      } catch (NumberFormatException tooLarge) {
        // falls through to the 400
      }
    }
    return Future.failedFuture(Problem.invalid(param, "must be a positive integer"));
  }

  /** Device ids are PostgreSQL {@code integer} identities: 1 to 2^31-1. */
  public static Future<Long> deviceId(RoutingContext ctx, String param) {
    String raw = ctx.pathParam(param);
    if (raw != null && DEVICE_ID.matcher(raw).matches() && Long.parseLong(raw) <= Integer.MAX_VALUE) {
      return Future.succeededFuture(Long.parseLong(raw));
    }
    return Future.failedFuture(Problem.invalid(param, "must be a positive integer"));
  }
}
