package io.gridline.api;

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
 */
record TelemetryQuery(String label, Instant from, Instant to, Optional<Duration> bucket) {
  /** The most points or buckets one answer carries; beyond it the caller narrows the range or widens the bucket. */
  static final int MAX_POINTS = 10_000;
  static final Duration DEFAULT_RANGE = Duration.ofHours(1);
  private static final int MAX_LABEL = 128;

  static Future<TelemetryQuery> of(MultiMap params, Clock clock) {
    Validation v = Validation.empty();
    String label = params.get("label");
    if (label == null || label.isBlank()) {
      v.reject("label", "is required (a datapoint label such as sensor-1.temperature)");
    } else if (label.length() > MAX_LABEL) {
      v.reject("label", "must be at most " + MAX_LABEL + " characters");
    }
    Instant to = instant(params, "to", v);
    Instant from = instant(params, "from", v);
    Optional<Duration> bucket = bucket(params, v);
    if (params.get("to") == null) {
      to = clock.instant();
    }
    if (params.get("from") == null && to != null) {
      from = to.minus(DEFAULT_RANGE);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      v.reject("from", "must be before to");
    }
    if (from != null && to != null && from.isBefore(to) && bucket != null && bucket.isPresent()) {
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
      return OffsetDateTime.parse(raw).toInstant();
    } catch (DateTimeParseException e) {
      v.reject(name, "must be an RFC 3339 time such as 2026-11-01T10:00:00Z");
      return null;
    }
  }

  /** {@code null} when invalid (rejected), empty when absent. */
  private static Optional<Duration> bucket(MultiMap params, Validation v) {
    String raw = params.get("bucket");
    if (raw == null) {
      return Optional.empty();
    }
    try {
      Duration d = Duration.parse(raw);
      if (d.toMillis() < 1) {
        v.reject("bucket", "must be at least 1 millisecond");
        return null;
      }
      return Optional.of(d);
    } catch (DateTimeParseException e) {
      v.reject("bucket", "must be an ISO-8601 duration such as PT1M, PT15M or P1D");
      return null;
    }
  }

  /** The error when more than {@link #MAX_POINTS} raw points fall into the range. */
  static Problem tooManyPoints() {
    return Problem.invalid("from", "more than " + MAX_POINTS
        + " points in this range: narrow from/to or aggregate with bucket (e.g. PT1M)");
  }
}
