package io.gridline.runtime;

/**
 * Text that a device or a caller chose (payload fields, topics, client ids, names, metadata, error details quoting
 * them), made safe for where it goes:
 * <ul>
 *   <li>{@link #storable}: for a PostgreSQL {@code text} column. PostgreSQL refuses U+0000 in text (SQLSTATE 22021)
 *   and in jsonb strings (22P05); one such character made a dead-letter insert fail on every retry. NULs are dropped,
 *   unpaired surrogates (which UTF-8 cannot carry) become U+FFFD, and the length is capped without splitting a pair.</li>
 *   <li>{@link #forLog}: for a log line. Control characters (a forged newline would fake a log entry) and anything
 *   unprintable are escaped as {@code \}{@code uXXXX}, quotes too, and the length is capped.</li>
 * </ul>
 */
public final class UntrustedText {
  /** Longest text a log line quotes from untrusted input. */
  public static final int LOG_MAX_CHARS = 200;

  private UntrustedText() {}

  /** {@code text} without NUL characters or unpaired surrogates, at most {@code maxChars} long; null stays null. */
  public static String storable(String text, int maxChars) {
    if (text == null) {
      return null;
    }
    if (isStorable(text) && text.length() <= maxChars) {
      return text;
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
    for (int i = 0; i < text.length() && out.length() < maxChars; i++) {
      char c = text.charAt(i);
      if (c == 0) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (out.length() + 2 > maxChars) {
          break;
        }
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether PostgreSQL can store {@code text} as it is: no NUL, no unpaired surrogate. */
  public static boolean isStorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** {@code text} quoted for a log line: escaped, capped at {@link #LOG_MAX_CHARS}; {@code null} for null. */
  public static String forLog(Object text) {
    if (text == null) {
      return "null";
    }
    String s = String.valueOf(text);
    StringBuilder out = new StringBuilder(Math.min(s.length(), LOG_MAX_CHARS) + 2).append('"');
    int i = 0;
    for (; i < s.length() && out.length() < LOG_MAX_CHARS; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)
          || Character.getType(c) == Character.FORMAT || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
    if (i < s.length()) {
      out.append("…(").append(s.length()).append(" chars)");
    }
    return out.toString();
  }

  /** The text of {@code bytes} (UTF-8, malformed sequences replaced) quoted for a log line. */
  public static String forLog(byte[] bytes) {
    if (bytes == null) {
      return "null";
    }
    int n = Math.min(bytes.length, LOG_MAX_CHARS * 4);
    String s = new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    return bytes.length > n ? forLog(s) + "…(" + bytes.length + " bytes)" : forLog(s);
  }
}
