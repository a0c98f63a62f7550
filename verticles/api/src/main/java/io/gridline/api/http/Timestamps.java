package io.gridline.api.http;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times in API responses: RFC 3339, UTC, milliseconds (docs/architecture.md §4). */
public final class Timestamps {
  private static final DateTimeFormatter RFC3339_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'");

  private Timestamps() {}

  public static String format(OffsetDateTime t) {
    return t == null ? null : t.atZoneSameInstant(ZoneOffset.UTC).format(RFC3339_MILLIS);
  }
}
