package io.gridline.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written fast paths of {@link Rfc3339} against the java.time paths they replace on the common forms. */
class Rfc3339Test {
  private static final long YEAR_0 = -62_167_219_200_000L; // 0000-01-01T00:00:00Z
  private static final long YEAR_10000 = 253_402_300_800_000L; // 10000-01-01T00:00:00Z

  @Test
  void formatAgreesWithTheFormatter() {
    Random r = new Random(1);
    for (int i = 0; i < 300_000; i++) {
      long m = switch (i % 5) {
        case 0 -> YEAR_0 + (long) (r.nextDouble() * (YEAR_10000 - YEAR_0));
        case 1 -> r.nextLong() % 1_000_000_000_000_000L; // far outside 0000-9999 too
        case 2 -> (r.nextBoolean() ? YEAR_0 : YEAR_10000) + r.nextInt(200_000_000) - 100_000_000;
        case 3 -> r.nextInt(2_000_000_000) - 1_000_000_000L; // around the epoch, negative millis
        default -> 1_600_000_000_000L + (long) (r.nextDouble() * 400_000_000_000L);
      };
      assertEquals(Rfc3339.formatSlow(m), Rfc3339.format(m), Long.toString(m));
    }
    for (long m : new long[] {0, -1, 1, YEAR_0, YEAR_0 - 1, YEAR_10000 - 1, YEAR_10000, 951_782_400_000L /* 2000-02-29 */,
        -2_203_891_200_000L /* 1900-03-01 */, 1764144000123L}) {
      assertEquals(Rfc3339.formatSlow(m), Rfc3339.format(m), Long.toString(m));
    }
    assertEquals("2025-11-26T08:00:00.123Z", Rfc3339.format(1764144000123L));
    assertEquals("1969-12-31T23:59:59.999Z", Rfc3339.format(-1));
  }

  @Test
  void formattedTimesRoundTrip() {
    Random r = new Random(2);
    for (int i = 0; i < 200_000; i++) {
      long m = i % 2 == 0 ? YEAR_0 + (long) (r.nextDouble() * (YEAR_10000 - YEAR_0)) : r.nextLong() % 100_000_000_000_000L;
      assertEquals(m, Rfc3339.parse(Rfc3339.format(m)));
    }
  }

  private static String two(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  /** A random time text, mostly of the common forms, with valid and invalid field values. */
  private static String randomText(Random r) {
    boolean invalid = r.nextInt(4) == 0;
    int year = r.nextInt(10_000);
    int month = invalid ? r.nextInt(14) : 1 + r.nextInt(12);
    int day = invalid ? r.nextInt(33) : 1 + r.nextInt(r.nextInt(3) == 0 ? 31 : 28);
    int hour = invalid ? r.nextInt(26) : r.nextInt(24);
    int minute = invalid ? r.nextInt(62) : r.nextInt(60);
    int second = invalid ? r.nextInt(62) : r.nextInt(60);
    StringBuilder s = new StringBuilder();
    s.append(String.format("%04d", year)).append('-').append(two(month)).append('-').append(two(day))
        .append(r.nextInt(5) == 0 ? 't' : 'T').append(two(hour)).append(':').append(two(minute));
    if (r.nextInt(20) != 0) {
      s.append(':').append(two(second));
      int fraction = r.nextInt(12) - 1; // -1: none, 0: a bare '.', 10 and 11 digits: too many
      if (fraction >= 0) {
        s.append('.');
        for (int k = 0; k < fraction; k++) {
          s.append((char) ('0' + r.nextInt(10)));
        }
      }
    }
    switch (r.nextInt(8)) {
      case 0 -> s.append('z');
      case 1, 2 -> s.append('Z');
      case 3 -> s.append(r.nextBoolean() ? "+18:00" : "-18:00");
      case 4 -> s.append(r.nextBoolean() ? '+' : '-').append(two(r.nextInt(20))).append(':').append(two(r.nextInt(62)));
      case 5 -> s.append(r.nextBoolean() ? "-00:00" : "+00:00");
      case 6 -> s.append(new String[] {"", "+01", "+0100", "+01:00:30", "UTC", "Z ", "+1:00"}[r.nextInt(7)]);
      default -> s.append(r.nextBoolean() ? '+' : '-').append(two(r.nextInt(18))).append(':').append(two(r.nextInt(60)));
    }
    String text = s.toString();
    if (r.nextInt(6) == 0) { // mutate a character: non-digits, deletions, insertions
      StringBuilder m = new StringBuilder(text);
      int at = r.nextInt(m.length());
      switch (r.nextInt(3)) {
        case 0 -> m.setCharAt(at, " :-T+.Z/a\u0661\uff10".charAt(r.nextInt(11)));
        case 1 -> m.deleteCharAt(at);
        default -> m.insert(at, (char) ('0' + r.nextInt(10)));
      }
      text = m.toString();
    }
    return text;
  }

  private static String outcome(java.util.function.ToLongFunction<String> parser, String text) {
    try {
      return Long.toString(parser.applyAsLong(text));
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  @Test
  void parseAgreesWithJavaTimeOnALargeRandomSample() {
    Random r = new Random(3);
    int accepted = 0;
    for (int i = 0; i < 300_000; i++) {
      String text = randomText(r);
      String expected = outcome(Rfc3339::parseSlow, text);
      assertEquals(expected, outcome(Rfc3339::parse, text), text);
      if (!expected.contains("Exception")) {
        accepted++;
      }
    }
    assertTrue(accepted > 100_000 && accepted < 280_000, "valid and invalid samples: " + accepted);
  }

  @Test
  void commonFormsParse() {
    assertEquals(1764144000123L, Rfc3339.parse("2025-11-26T08:00:00.123Z"));
    assertEquals(1764144000123L, Rfc3339.parse("2025-11-26t08:00:00.123z"));
    assertEquals(1764144000123L, Rfc3339.parse("2025-11-26T09:00:00.123999999+01:00"));
    assertEquals(1764144000000L, Rfc3339.parse("2025-11-26T08:00:00Z"));
    assertEquals(1764144000000L, Rfc3339.parse("2025-11-26T08:00Z")); // java.time's optional seconds
    assertEquals(-1, Rfc3339.parse("1969-12-31T23:59:59.9999Z"));
    assertEquals(1709193600000L, Rfc3339.parse("2024-02-29T08:00:00Z"));
    assertEquals(951782400000L, Rfc3339.parse("2000-02-29T00:00:00-00:00"));
  }

  @Test
  void invalidTimesAreRejectedAsBefore() {
    for (String s : List.of("2025-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2025-04-31T00:00:00Z", "2025-11-26T24:00:00Z", "2025-13-01T00:00:00Z", "2025-00-01T00:00:00Z",
        "2025-11-00T00:00:00Z", "2025-11-26T08:60:00Z", "2025-11-26T08:00:60Z", "2025-11-26T08:00:00+18:01",
        "2025-11-26T08:00:00+01:60", "2025-11-26T08:00:00", "2025-11-26T08:00:00.1234567891Z",
        "2025-11-26 08:00:00Z", "2025-11-26T08:00:00+0100", "", "yesterday", "+2025-11-26T08:00:00Z")) {
      DateTimeParseException e = assertThrows(DateTimeParseException.class, () -> Rfc3339.parse(s), s);
      assertEquals(outcome(Rfc3339::parseSlow, s), e.getClass().getName() + ": " + e.getMessage());
    }
    assertThrows(NullPointerException.class, () -> Rfc3339.parse(null));
  }
}
