package io.gridline.api.http;

import io.gridline.api.http.Problem.FieldError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads fields of a JSON request body and collects every problem, so one 400 names all bad fields at once. Getters
 * return {@code null} for an absent or invalid field; {@link #result} decides.
 */
public final class Validation {
  private final JsonObject body;
  private final List<FieldError> errors = new ArrayList<>();

  private Validation(JsonObject body) {
    this.body = body;
  }

  /**
   * @param accepted fields the request may set
   * @param ignored  read-only fields of the resource's representation: a client may send back what it read
   */
  public static Validation of(JsonObject body, Set<String> accepted, Set<String> ignored) {
    Validation v = new Validation(body);
    for (String field : body.fieldNames()) {
      if (!accepted.contains(field) && !ignored.contains(field)) {
        v.reject(field, "unknown field");
      }
    }
    return v;
  }

  /** For inputs that are not a JSON body (query and path parameters). */
  public static Validation empty() {
    return new Validation(new JsonObject());
  }

  public void reject(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  public boolean present(String field) {
    return body.getValue(field) != null;
  }

  public String text(String field, boolean required, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        reject(field, "is required");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      reject(field, "must be a string");
      return null;
    }
    if (s.isBlank() || s.length() > maxLength) {
      reject(field, "must be 1 to " + maxLength + " characters and not blank");
      return null;
    }
    return s;
  }

  public String oneOf(String field, List<String> allowed) {
    String s = text(field, true, 64);
    if (s != null && !allowed.contains(s)) {
      reject(field, "must be one of " + String.join(", ", allowed));
      return null;
    }
    return s;
  }

  /** A required whole number in {@code [min, max]}; {@code 5.0} counts as whole, {@code 5.5} and {@code "5"} do not. */
  public Integer integer(String field, int min, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      reject(field, "is required");
      return null;
    }
    if (!(value instanceof Number n)) {
      reject(field, "must be an integer");
      return null;
    }
    BigDecimal d = n instanceof BigDecimal b ? b
        : n instanceof BigInteger i ? new BigDecimal(i)
        : n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue())
        : BigDecimal.valueOf(n.longValue());
    if (d.stripTrailingZeros().scale() > 0) {
      reject(field, "must be an integer");
      return null;
    }
    if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      reject(field, "must be between " + min + " and " + max);
      return null;
    }
    return d.intValueExact();
  }

  /**
   * Hexadecimal octets ({@code octets} of them, or any even number up to {@code -octets} when negative), any case,
   * bytes optionally separated by {@code :} or {@code -}; answered in lower case without separators.
   */
  public String hex(String field, boolean required, int octets) {
    String s = text(field, required, 1024);
    if (s == null) {
      return null;
    }
    String bare = s.replaceAll("[:-]", "").toLowerCase(java.util.Locale.ROOT);
    boolean hex = bare.matches("([0-9a-f]{2})*");
    boolean length = octets >= 0 ? bare.length() == octets * 2 : bare.length() <= -octets * 2;
    if (!hex || !length) {
      reject(field, octets >= 0 ? "must be " + octets + " octets in hex (" + octets * 2 + " hex digits)"
          : "must be at most " + -octets + " octets in hex (an even number of hex digits)");
      return null;
    }
    return bare;
  }

  /** An optional boolean; absent or {@code null} is {@code absent}. */
  public Boolean bool(String field, boolean absent) {
    Object value = body.getValue(field);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof Boolean b)) {
      reject(field, "must be true or false");
      return null;
    }
    return b;
  }

  /** An optional choice; absent or {@code null} is {@code absent}. */
  public String oneOf(String field, List<String> allowed, String absent) {
    return body.getValue(field) == null ? absent : oneOf(field, allowed);
  }

  /** An optional whole number in {@code [min, max]}; absent or {@code null} is {@code absent}. */
  public Long longValue(String field, long min, long max, long absent) {
    Object value = body.getValue(field);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof Number n) || (n instanceof Double || n instanceof Float)
        && n.doubleValue() != Math.rint(n.doubleValue())) {
      reject(field, "must be an integer");
      return null;
    }
    long l = n.longValue();
    if (l < min || l > max) {
      reject(field, "must be between " + min + " and " + max);
      return null;
    }
    return l;
  }

  /** An optional JSON object; absent or {@code null} means empty. */
  public JsonObject object(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject o)) {
      reject(field, "must be a JSON object");
      return null;
    }
    return o;
  }

  /** The value when nothing was rejected, else a 400 naming every rejected field. */
  public <T> Future<T> result(Supplier<T> value) {
    return errors.isEmpty() ? Future.succeededFuture(value.get()) : Future.failedFuture(Problem.validation(errors));
  }
}
