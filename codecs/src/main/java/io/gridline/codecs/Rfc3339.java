package io.gridline.codecs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 3339 UTC with milliseconds, the time format of every Kafka value.
 *
 * <p>Both directions have a hand-written fast path for the common forms (they sit on the hot Kafka codecs) and fall
 * back to {@code java.time} for everything else, so what is accepted, rejected and produced is exactly what the
 * {@code java.time} path alone does ({@link #formatSlow}, {@link #parseSlow}).
 */
public final class Rfc3339 {
  private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  /** Length of {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
  static final int FORMATTED_LENGTH = 24;
  private static final long MILLIS_PER_DAY = 86_400_000L;
  /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the range the fast formatter writes with 4-digit years. */
  private static final long MIN_FAST_MILLIS = -62_167_219_200_000L;
  private static final long MAX_FAST_MILLIS = 253_402_300_800_000L;
  private static final long NO_FAST_PATH = Long.MIN_VALUE;

  private Rfc3339() {}

  public static String format(long epochMillis) {
    if (epochMillis >= MIN_FAST_MILLIS && epochMillis < MAX_FAST_MILLIS) {
      byte[] out = new byte[FORMATTED_LENGTH];
      writeAscii(epochMillis, out);
      return new String(out, StandardCharsets.ISO_8859_1);
    }
    return formatSlow(epochMillis);
  }

  /** The {@link DateTimeFormatter} path: the reference for the fast path and the fallback outside years 0–9999. */
  static String formatSlow(long epochMillis) {
    return MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }

  private static void writeAscii(long epochMillis, byte[] out) {
    long epochDay = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
    // civil-from-days (H. Hinnant), days since 1970-01-01 -> proleptic Gregorian y/m/d
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    int doe = (int) (z - era * 146_097);
    int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int day = doy - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    int year = (int) (yoe + era * 400) + (month <= 2 ? 1 : 0);

    int millis = millisOfDay % 1000;
    int secs = millisOfDay / 1000;
    int second = secs % 60;
    int minute = (secs / 60) % 60;
    int hour = secs / 3600;

    out[0] = digit(year / 1000);
    out[1] = digit(year / 100 % 10);
    out[2] = digit(year / 10 % 10);
    out[3] = digit(year % 10);
    out[4] = '-';
    out[5] = digit(month / 10);
    out[6] = digit(month % 10);
    out[7] = '-';
    out[8] = digit(day / 10);
    out[9] = digit(day % 10);
    out[10] = 'T';
    out[11] = digit(hour / 10);
    out[12] = digit(hour % 10);
    out[13] = ':';
    out[14] = digit(minute / 10);
    out[15] = digit(minute % 10);
    out[16] = ':';
    out[17] = digit(second / 10);
    out[18] = digit(second % 10);
    out[19] = '.';
    out[20] = digit(millis / 100);
    out[21] = digit(millis / 10 % 10);
    out[22] = digit(millis % 10);
    out[23] = 'Z';
  }

  private static byte digit(int d) {
    return (byte) ('0' + d);
  }

  /**
   * Accepts any RFC 3339 / ISO-8601 instant with an offset (what {@code OffsetDateTime.parse} accepts).
   *
   * @throws java.time.format.DateTimeParseException when it is not one
   */
  public static long parse(String text) {
    if (text != null) {
      long fast = parseFast(text);
      if (fast != NO_FAST_PATH) {
        return fast;
      }
    }
    return parseSlow(text);
  }

  /** The {@code java.time} path: the reference for the fast path and the fallback for anything it does not take. */
  static long parseSlow(String text) {
    return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
  }

  /**
   * {@code yyyy-MM-dd(T|t)HH:mm:ss[.f{1,9}](Z|z|(+|-)HH:MM)} with valid fields, or {@link #NO_FAST_PATH} for anything
   * else (including every invalid input: the slow path then produces the exact exception).
   */
  private static long parseFast(String s) {
    int n = s.length();
    if (n < 20 || n > 35) {
      return NO_FAST_PATH;
    }
    int year = digits4(s, 0);
    int month = digits2(s, 5);
    int day = digits2(s, 8);
    int hour = digits2(s, 11);
    int minute = digits2(s, 14);
    int second = digits2(s, 17);
    char t = s.charAt(10);
    if ((year | month | day | hour | minute | second) < 0 || s.charAt(4) != '-' || s.charAt(7) != '-'
        || (t != 'T' && t != 't') || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return NO_FAST_PATH;
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
        || second > 59) {
      return NO_FAST_PATH;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      i++;
      int start = i;
      while (i < n && i - start < 10) {
        int d = s.charAt(i) - '0';
        if (d < 0 || d > 9) {
          break;
        }
        nanos = nanos * 10 + d;
        i++;
      }
      int count = i - start;
      if (count == 0 || count > 9) {
        return NO_FAST_PATH;
      }
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    int rest = n - i;
    char o = i < n ? s.charAt(i) : 0;
    if (rest == 1 && (o == 'Z' || o == 'z')) {
      offsetSeconds = 0;
    } else if (rest == 6 && (o == '+' || o == '-') && s.charAt(i + 3) == ':') {
      int oh = digits2(s, i + 1);
      int om = digits2(s, i + 4);
      if (oh < 0 || om < 0 || oh > 17 || om > 59) {
        return NO_FAST_PATH; // +18:00 is valid too, but rare: the slow path decides
      }
      offsetSeconds = (oh * 3600 + om * 60) * (o == '-' ? -1 : 1);
    } else {
      return NO_FAST_PATH;
    }
    long epochSecond = epochDay(year, month, day) * 86_400L + hour * 3600 + minute * 60 + second - offsetSeconds;
    // Instant.toEpochMilli: floor of the instant in millis (nanos are non-negative)
    return epochSecond * 1000 + nanos / 1_000_000;
  }

  private static int digits2(String s, int at) {
    int a = s.charAt(at) - '0';
    int b = s.charAt(at + 1) - '0';
    if (a < 0 || a > 9 || b < 0 || b > 9) {
      return -1;
    }
    return a * 10 + b;
  }

  private static int digits4(String s, int at) {
    int hi = digits2(s, at);
    int lo = digits2(s, at + 2);
    return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** days-from-civil (H. Hinnant): proleptic Gregorian date -> days since 1970-01-01. */
  private static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yoe = y - era * 400;
    int mp = month > 2 ? month - 3 : month + 9;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (long) era * 146_097 + doe - 719_468;
  }
}
