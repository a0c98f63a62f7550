package io.gridline.api.webhooks;

import io.gridline.api.http.Problem;
import io.gridline.api.http.Validation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A subscription's body for {@code POST /webhooks} and {@code PUT /webhooks/{id}}: shape and limits only (400). The
 * URL's target policy (scheme, DNS, private addresses) is {@code WebhookTargets}' job, a 422 after this. PUT replaces
 * url, eventTypes, headers and active (absent headers are {}, absent active is true, as on create); the secret changes
 * only through rotate-secret.
 */
record WebhookInput(String url, List<String> eventTypes, String secret, JsonObject headers, boolean active) {
  static final int MAX_URL_LENGTH = 2000;
  static final int MAX_EVENT_TYPES = 100;
  static final int MAX_EVENT_TYPE_LENGTH = 100;
  static final int MAX_HEADERS = 20;
  static final int MAX_HEADER_NAME_LENGTH = 64;
  static final int MAX_HEADER_VALUE_LENGTH = 1024;
  static final int MIN_SECRET_LENGTH = 16;
  static final int MAX_SECRET_LENGTH = 256;
  private static final Pattern EVENT_TYPE_GLOB = Pattern.compile("[a-z0-9.*_-]+");
  /** RFC 9110 token characters. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Visible ASCII, space and tab: no CR/LF (header injection), no other controls. */
  private static final Pattern HEADER_VALUE = Pattern.compile("[\\t\\x20-\\x7e]*");
  private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]+");
  /** Set by the delivery itself (signature, framing, routing): a subscription may not override them. */
  private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
      "transfer-encoding", "connection");
  private static final Set<String> READ_ONLY = Set.of("id", "statusNote", "createdAt", "updatedAt",
      "secretRotatedOverlapUntil");
  private static final Set<String> CREATE_FIELDS = Set.of("url", "eventTypes", "secret", "headers", "active");
  private static final Set<String> REPLACE_FIELDS = Set.of("url", "eventTypes", "headers", "active");

  static Future<WebhookInput> forCreate(JsonObject body) {
    return read(body, CREATE_FIELDS);
  }

  static Future<WebhookInput> forReplace(JsonObject body) {
    if (body.containsKey("secret")) {
      return Future.failedFuture(Problem.invalid("secret", "cannot be replaced; use POST /api/v1/webhooks/{id}/rotate-secret"));
    }
    return read(body, REPLACE_FIELDS);
  }

  private static Future<WebhookInput> read(JsonObject body, Set<String> accepted) {
    Validation v = Validation.of(body, accepted, READ_ONLY);
    String url = v.text("url", true, MAX_URL_LENGTH);
    List<String> eventTypes = eventTypes(body.getValue("eventTypes"), v);
    String secret = accepted.contains("secret") ? secret(body.getValue("secret"), v) : null;
    JsonObject headers = headers(v.object("headers"), v);
    Object active = body.getValue("active");
    if (active != null && !(active instanceof Boolean)) {
      v.reject("active", "must be true or false");
    }
    return v.result(() -> new WebhookInput(url.trim(), eventTypes, secret, headers, active == null || (Boolean) active));
  }

  private static List<String> eventTypes(Object value, Validation v) {
    if (value == null) {
      v.reject("eventTypes", "is required");
      return null;
    }
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_EVENT_TYPES) {
      v.reject("eventTypes", "must be an array of 1 to " + MAX_EVENT_TYPES + " event types or globs");
      return null;
    }
    Set<String> types = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s) || s.length() > MAX_EVENT_TYPE_LENGTH
          || !EVENT_TYPE_GLOB.matcher(s).matches()) {
        v.reject("eventTypes[" + i + "]", "must be 1 to " + MAX_EVENT_TYPE_LENGTH
            + " characters of a-z, 0-9, '.', '_', '-' and '*' (a glob, e.g. charging.*)");
      } else {
        types.add(s); // a repeated type is harmless: kept once
      }
    }
    return new ArrayList<>(types);
  }

  private static String secret(Object value, Validation v) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.length() < MIN_SECRET_LENGTH || s.length() > MAX_SECRET_LENGTH
        || !SECRET.matcher(s).matches()) {
      v.reject("secret", "must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH
          + " visible ASCII characters (omit it to have one generated)");
      return null;
    }
    return s;
  }

  private static JsonObject headers(JsonObject headers, Validation v) {
    if (headers == null) {
      return null; // already rejected as not an object
    }
    if (headers.size() > MAX_HEADERS) {
      v.reject("headers", "must have at most " + MAX_HEADERS + " headers");
      return null;
    }
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, Object> e : headers) {
      String name = e.getKey();
      String field = "headers." + name;
      String lower = name.toLowerCase(Locale.ROOT);
      if (name.length() > MAX_HEADER_NAME_LENGTH || !HEADER_NAME.matcher(name).matches()) {
        v.reject(field, "is not a valid header name (1 to " + MAX_HEADER_NAME_LENGTH + " token characters)");
      } else if (lower.startsWith("x-gridline-") || RESERVED_HEADERS.contains(lower)) {
        v.reject(field, "is set by Gridline on every delivery and cannot be overridden");
      } else if (!seen.add(lower)) {
        v.reject(field, "repeats a header name (names are case-insensitive)");
      }
      if (!(e.getValue() instanceof String value) || value.length() > MAX_HEADER_VALUE_LENGTH
          || !HEADER_VALUE.matcher(value).matches()) {
        v.reject(field, "must be a string of at most " + MAX_HEADER_VALUE_LENGTH
            + " visible ASCII characters, spaces or tabs");
      }
    }
    return headers;
  }
}
