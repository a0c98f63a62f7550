package io.gridline.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why a request cannot be served, as an RFC 7807 problem. Any step of a handler chain fails its Future with one;
 * {@link Problems} renders it once, at the end. Built without a stack trace: these are expected outcomes, not bugs.
 */
public final class Problem extends RuntimeException {
  private static final String TYPE_PREFIX = "urn:gridline:problem:";

  /** One invalid input, named the way the caller spelled it (body field, query or path parameter). */
  public record FieldError(String field, String message) {
    JsonObject toJson() {
      return new JsonObject().put("field", field).put("message", message);
    }
  }

  private final int status;
  private final String type;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;

  private Problem(int status, String type, String title, String detail, List<FieldError> errors,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  public static Problem validation(List<FieldError> errors) {
    String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
    return new Problem(400, "validation", "Invalid request", detail, errors, Map.of());
  }

  public static Problem invalid(String field, String message) {
    return validation(List.of(new FieldError(field, message)));
  }

  /** 401: the challenge header tells clients which scheme to use (RFC 6750). */
  static Problem unauthorized(String detail, boolean tokenPresented) {
    String challenge = tokenPresented ? "Bearer realm=\"gridline\", error=\"invalid_token\"" : "Bearer realm=\"gridline\"";
    return new Problem(401, "unauthorized", "Unauthorized", detail, List.of(), Map.of("WWW-Authenticate", challenge));
  }

  static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Forbidden", detail, List.of(), Map.of());
  }

  /** 415: a body in a media type the route does not read. */
  public static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "unsupported-media-type", "Unsupported Media Type", detail, List.of(), Map.of());
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "Not Found", detail, List.of(), Map.of());
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "conflict", "Conflict", detail, List.of(), Map.of());
  }

  /** 504: a node the request was routed to did not answer in time. */
  public static Problem gatewayTimeout(String detail) {
    return new Problem(504, "gateway-timeout", "Gateway Timeout", detail, List.of(), Map.of());
  }

  /** 422: the webhook URL is well-formed JSON but {@code WebhookTargets} refuses it; the guard's reason is the detail. */
  public static Problem targetRefused(String reason) {
    return new Problem(422, "webhook-target-refused", "Webhook target refused", reason,
        List.of(new FieldError("url", reason)), Map.of());
  }

  /** 502: the collaborator the request was handed to failed it. */
  public static Problem badGateway(String detail) {
    return new Problem(502, "bad-gateway", "Bad Gateway", detail, List.of(), Map.of());
  }

  /** 503: no node runs the verticle that would serve this. */
  public static Problem serviceUnavailable(String detail) {
    return new Problem(503, "service-unavailable", "Service Unavailable", detail, List.of(), Map.of());
  }

  /**
   * 503 with {@code Retry-After}: the server is short of something right now (e.g. every database connection is taken
   * and {@code pg.max-wait-queue} requests already wait), and the same request will likely succeed a moment later.
   */
  static Problem overloaded(String detail, long retryAfterSeconds) {
    return new Problem(503, "service-unavailable", "Service Unavailable", detail, List.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  /** 429 with {@code Retry-After}: the caller's key used up its {@code api.rate-limit}. */
  static Problem tooManyRequests(long retryAfterSeconds) {
    return new Problem(429, "too-many-requests", "Too Many Requests", "this API key sent more than api.rate-limit "
        + "requests per second; retry after " + retryAfterSeconds + " s", List.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  /**
   * 504 without {@code Retry-After}: the database gave up on the query after {@code api.telemetry.statement-timeout}.
   * Repeating it would cost the same again; the caller narrows the range or widens the bucket.
   */
  public static Problem queryTimeout(String detail) {
    return new Problem(504, "query-timeout", "Query Timeout", detail, List.of(), Map.of());
  }

  public static Problem limitReached(String detail) {
    return new Problem(422, "limit-reached", "Limit reached", detail, List.of(), Map.of());
  }

  /** A problem raised outside our handlers (router 404/405, body limit 413, unexpected 500). */
  static Problem ofStatus(int status) {
    return switch (status) {
      case 404 -> notFound("no such route");
      case 405 -> new Problem(405, "method-not-allowed", "Method Not Allowed", "this route does not accept that method",
          List.of(), Map.of());
      case 413 -> new Problem(413, "payload-too-large", "Payload Too Large", "the request body exceeds api.max-body-bytes",
          List.of(), Map.of());
      case 400 -> new Problem(400, "bad-request", "Bad Request", "the request could not be read", List.of(), Map.of());
      default -> status >= 400 && status < 500
          ? new Problem(status, "client-error", "Client Error", "the request was rejected", List.of(), Map.of())
          : new Problem(500, "internal", "Internal Server Error", "the request failed; the server log has details",
              List.of(), Map.of());
    };
  }

  public int status() {
    return status;
  }

  boolean isValidation() {
    return "validation".equals(type);
  }

  List<FieldError> errors() {
    return errors;
  }

  Map<String, String> headers() {
    return headers;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", TYPE_PREFIX + type).put("title", title).put("status", status)
        .put("detail", getMessage());
    if (!errors.isEmpty()) {
      json.put("errors", new JsonArray(errors.stream().map(FieldError::toJson).toList()));
    }
    return json;
  }
}
