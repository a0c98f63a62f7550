package io.gridline.codecs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** RFC 3339 UTC with milliseconds, the time format of every Kafka value. */
public final class Rfc3339 {
  private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private Rfc3339() {}

  public static String format(long epochMillis) {
    return MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Accepts any RFC 3339 / ISO-8601 instant with an offset. */
  public static long parse(String text) {
    return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
  }
}
