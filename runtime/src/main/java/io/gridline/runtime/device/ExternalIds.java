package io.gridline.runtime.device;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Canonical external ids (docs/architecture.md §5). A device names itself on the wire, so the registry keeps one
 * spelling per kind
 * and every protocol verticle looks devices up by it: the api canonicalizes what operators type, the bridges what
 * devices send.
 *
 * <ul>
 *   <li>{@code mqtt}: MAC address, {@code aa:bb:cc:dd:ee:ff} (from {@code :}, {@code -}, {@code .}-grouped or bare hex)
 *   <li>{@code lorawan}: DevEUI, 16 lower-case hex digits (from bare hex or bytes separated by {@code -} or {@code :})
 *   <li>{@code charger}: the pile's id in upper-case hex (an even number of digits, at most 32; {@code 0x} allowed)
 *   <li>{@code instrument}: {@code [A-Za-z0-9._-]{1,64}}, kept as given
 * </ul>
 */
public final class ExternalIds {
  public static final String MQTT = "mqtt";
  public static final String LORAWAN = "lorawan";
  public static final String CHARGER = "charger";
  public static final String INSTRUMENT = "instrument";
  /** Every device kind, in the order the docs list them. */
  public static final List<String> KINDS = List.of(MQTT, LORAWAN, CHARGER, INSTRUMENT);

  private static final Pattern MAC_SEPARATED = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}");
  private static final Pattern MAC_DOTTED = Pattern.compile("\\p{XDigit}{4}\\.\\p{XDigit}{4}\\.\\p{XDigit}{4}");
  private static final Pattern MAC_BARE = Pattern.compile("\\p{XDigit}{12}");
  private static final Pattern EUI_SEPARATED = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){6}");
  private static final Pattern EUI_BARE = Pattern.compile("\\p{XDigit}{16}");
  private static final Pattern CHARGER_ID = Pattern.compile("(?:0[xX])?((?:\\p{XDigit}{2}){1,16})");
  private static final Pattern INSTRUMENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private ExternalIds() {}

  public static boolean isKind(String kind) {
    return KINDS.contains(kind);
  }

  /**
   * The canonical form of {@code raw} for a device of {@code kind}.
   *
   * @throws IllegalArgumentException with a message fit to show the caller, when {@code raw} is not an id of that kind
   */
  public static String canonical(String kind, String raw) {
    return switch (kind) {
      case MQTT -> mac(raw);
      case LORAWAN -> devEui(raw);
      case CHARGER -> chargerId(raw);
      case INSTRUMENT -> instrumentId(raw);
      default -> throw new IllegalArgumentException("unknown device kind '" + kind + "', expected one of " + KINDS);
    };
  }

  public static String mac(String raw) {
    if (isCanonicalMac(raw)) {
      return raw; // the common case on the hot path (devices send the canonical spelling): no regex, no copy
    }
    String s = raw.trim();
    if (MAC_SEPARATED.matcher(s).matches() || MAC_DOTTED.matcher(s).matches() || MAC_BARE.matcher(s).matches()) {
      return pairs(hexDigits(s).toLowerCase(Locale.ROOT), ':');
    }
    throw new IllegalArgumentException("expected a MAC address such as aa:bb:cc:dd:ee:ff (':', '-' or no separators)");
  }

  public static String devEui(String raw) {
    String s = raw.trim();
    if (EUI_SEPARATED.matcher(s).matches() || EUI_BARE.matcher(s).matches()) {
      return hexDigits(s).toLowerCase(Locale.ROOT);
    }
    throw new IllegalArgumentException("expected a DevEUI of 16 hex digits, such as 0102030405060708");
  }

  public static String chargerId(String raw) {
    var m = CHARGER_ID.matcher(raw.trim());
    if (m.matches()) {
      return m.group(1).toUpperCase(Locale.ROOT);
    }
    throw new IllegalArgumentException("expected a charger id of an even number of hex digits (2 to 32), such as 04AB373B");
  }

  public static String instrumentId(String raw) {
    if (INSTRUMENT_ID.matcher(raw).matches()) {
      return raw;
    }
    throw new IllegalArgumentException("expected 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
  }

  /** {@code aa:bb:cc:dd:ee:ff} exactly: 17 characters, lower-case hex pairs separated by {@code :}. */
  private static boolean isCanonicalMac(String s) {
    if (s.length() != 17) {
      return false;
    }
    for (int i = 0; i < 17; i++) {
      char c = s.charAt(i);
      if (i % 3 == 2) {
        if (c != ':') {
          return false;
        }
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The characters of {@code s} in {@code [0-9A-Fa-f]}, in order (what {@code replaceAll("[^0-9A-Fa-f]", "")} keeps). */
  private static String hexDigits(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String pairs(String hex, char separator) {
    StringBuilder out = new StringBuilder(hex.length() * 3 / 2);
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) {
        out.append(separator);
      }
      out.append(hex, i, i + 2);
    }
    return out.toString();
  }
}
