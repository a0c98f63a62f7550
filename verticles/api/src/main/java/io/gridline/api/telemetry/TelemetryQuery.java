package io.gridline.api.telemetry;

import io.gridline.api.http.Problem;
import io.gridline.api.http.Validation;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The query of {@code GET /devices/{id}/telemetry}: one label over {@code [from, to)} (RFC 3339, default the last
 * hour), raw points or, with an ISO-8601 {@code bucket}, aggregates per bucket. Every bad parameter is named in one 400.
 * The range is at most {@code api.telemetry.max-range} wide, which bounds the rows one aggregation reads; times are
 * years 0000 to 9999 (RFC 3339's four digits, inside what PostgreSQL stores) and a bucket is at most the range limit,
 * so no arithmetic on them can overflow.
 */
record TelemetryQuery(String label, Instant from, Instant to, Optional<Duration> bucket) {
  /** The most points or buckets one answer carries; beyond it the caller narrows the range or widens the bucket. */
  static final int MAX_POINTS = 10_000;
  static final Duration DEFAULT_RANGE = Duration.ofHours(1);
  private static final int MAX_LABEL = 128;
  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  static Future<TelemetryQuery> of(MultiMap params, Clock clock, Duration maxRange) {
    Validation v = Validation.empty();
    String label = params.get("label");
    if (label == null || label.isBlank()) {
      v.reject("label", "is required (a datapoint label such as sensor-1.temperature)");
    } else if (label.length() > MAX_LABEL) {
      v.reject("label", "must be at most " + MAX_LABEL + " characters");
    }
    Instant to = instant(params, "to", v);
    Instant from = instant(params, "from", v);
    Optional<Duration> bucket = bucket(params, maxRange, v);
    if (params.get("to") == null) {
      to = clock.instant();
    }
    if (params.get("from") == null && to != null) {
      from = to.minus(DEFAULT_RANGE);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      v.reject("from", "must be before to");
    } else if (from != null && to != null && Duration.between(from, to).compareTo(maxRange) > 0) {
      v.reject("from", "from/to span more than api.telemetry.max-range (" + maxRange + "): narrow the range");
    } else if (from != null && to != null && bucket != null && bucket.isPresent()) {
      long buckets = (Duration.between(from, to).toMillis() + bucket.get().toMillis() - 1) / bucket.get().toMillis() + 1;
      if (buckets > MAX_POINTS) {
        v.reject("bucket", bucket.get() + " cuts this range into about " + buckets + " buckets, more than " + MAX_POINTS
            + ": narrow from/to or use a larger bucket");
      }
    }
    Instant f = from;
    Instant t = to;
    return v.result(() -> new TelemetryQuery(label, f, t, bucket));
  }

  private static Instant instant(MultiMap params, String name, Validation v) {
    String raw = params.get(name);
    if (raw == null) {
      return null;
    }
    try {
      Instant t = OffsetDateTime.parse(raw).toInstant();
      if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
        v.reject(name, "must be between years 0000 and 9999");
        return null;
      }
      return t;
    } catch (DateTimeParseException e) {
      v.reject(name, "must be an RFC 3339 time such as 2026-11-01T10:00:00Z");
      return null;
    }
  }

  /** {@code null} when invalid (rejected), empty when absent. */
  private static Optional<Duration> bucket(MultiMap params, Duration maxRange, Validation v) {
    String raw = params.get("bucket");
    if (raw == null) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = Duration.parse(raw);
    } catch (DateTimeParseException e) {
      v.reject("bucket", "must be an ISO-8601 duration such as PT1M, PT15M or P1D");
      return null;
    }
    if (d.compareTo(Duration.ofMillis(1)) < 0) {
      v.reject("bucket", "must be at least 1 millisecond");
      return null;
    }
    if (d.compareTo(maxRange) > 0) {
      v.reject("bucket", "must be at most api.telemetry.max-range (" + maxRange + ")");
      return null;
    }
    return Optional.of(d);
  }

  /** The error when more than {@link #MAX_POINTS} raw points fall into the range. */
  static Problem tooManyPoints() {
    return Problem.invalid("from", "more than " + MAX_POINTS
        + " points in this range: narrow from/to or aggregate with bucket (e.g. PT1M)");
  }
}
