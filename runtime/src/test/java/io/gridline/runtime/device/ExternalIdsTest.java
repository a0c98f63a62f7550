package io.gridline.runtime.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link ExternalIds#mac} and {@link ExternalIds#devEui} (fast path for canonical MACs, loop instead of a regex for the
 * hex digits) against the regex-only implementation they replace. The spelling rules themselves are tested in the
 * api's ExternalIdsTest.
 */
class ExternalIdsTest {
  private static final Pattern MAC_SEPARATED = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}");
  private static final Pattern MAC_DOTTED = Pattern.compile("\\p{XDigit}{4}\\.\\p{XDigit}{4}\\.\\p{XDigit}{4}");
  private static final Pattern MAC_BARE = Pattern.compile("\\p{XDigit}{12}");
  private static final Pattern EUI_SEPARATED = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){6}");
  private static final Pattern EUI_BARE = Pattern.compile("\\p{XDigit}{16}");

  private static String oldMac(String raw) {
    String s = raw.trim();
    if (MAC_SEPARATED.matcher(s).matches() || MAC_DOTTED.matcher(s).matches() || MAC_BARE.matcher(s).matches()) {
      return pairs(s.replaceAll("[^0-9A-Fa-f]", "").toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException("expected a MAC address such as aa:bb:cc:dd:ee:ff (':', '-' or no separators)");
  }

  private static String oldDevEui(String raw) {
    String s = raw.trim();
    if (EUI_SEPARATED.matcher(s).matches() || EUI_BARE.matcher(s).matches()) {
      return s.replaceAll("[^0-9A-Fa-f]", "").toLowerCase(Locale.ROOT);
    }
    throw new IllegalArgumentException("expected a DevEUI of 16 hex digits, such as 0102030405060708");
  }

  private static String pairs(String hex) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      out.append(i > 0 ? ":" : "").append(hex, i, i + 2);
    }
    return out.toString();
  }

  private static String outcome(UnaryOperator<String> f, String s) {
    try {
      return f.apply(s);
    } catch (IllegalArgumentException e) {
      return "IAE " + e.getMessage();
    }
  }

  /** Random MAC/EUI-like strings: canonical, other spellings, near misses. */
  private static String randomId(Random r, int bytes) {
    String hex = "0123456789abcdefABCDEF";
    String noise = "0123456789abcdefABCDEF:-. \tgG\u0660\uff11";
    char sep = ":-.:".charAt(r.nextInt(4));
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < bytes; i++) {
      if (i > 0 && r.nextInt(3) != 0) {
        s.append(r.nextInt(20) == 0 ? ":-.".charAt(r.nextInt(3)) : sep);
      }
      s.append(hex.charAt(r.nextInt(r.nextBoolean() ? 16 : hex.length())));
      s.append(hex.charAt(r.nextInt(r.nextBoolean() ? 16 : hex.length())));
    }
    if (r.nextInt(4) == 0 && s.length() > 0) {
      int at = r.nextInt(s.length());
      switch (r.nextInt(3)) {
        case 0 -> s.setCharAt(at, noise.charAt(r.nextInt(noise.length())));
        case 1 -> s.deleteCharAt(at);
        default -> s.insert(at, noise.charAt(r.nextInt(noise.length())));
      }
    }
    if (r.nextInt(10) == 0) {
      s.insert(0, ' ').append('\n');
    }
    return s.toString();
  }

  @Test
  void macAgreesWithTheRegexImplementation() {
    Random r = new Random(5);
    for (int i = 0; i < 200_000; i++) {
      String s = randomId(r, r.nextInt(8) == 0 ? r.nextInt(9) : 6);
      assertEquals(outcome(ExternalIdsTest::oldMac, s), outcome(ExternalIds::mac, s), s);
    }
    for (String s : new String[] {"aa:bb:cc:dd:ee:ff", "AA:BB:CC:DD:EE:FF", "aa-bb-cc-dd-ee-ff", "AABBCCDDEEFF",
        "aabb.ccdd.eeff", " aa:bb:cc:dd:ee:ff\t", "aa:bb:cc:dd:ee", "aa:bb-cc:dd:ee:ff", "aa:bb:cc:dd:ee:fg",
        "aabbccddeeff00", "aa::bb:cc:dd:ee:ff", "", "aab.bccd.deeff", "aa:bb:cc:dd:ee:f:", "aa:bb:cc:dd:eeaff",
        "aa:bb:cc:dd:ee:\u0661f", "aa;bb:cc:dd:ee:ff"}) {
      assertEquals(outcome(ExternalIdsTest::oldMac, s), outcome(ExternalIds::mac, s), s);
    }
    assertThrows(NullPointerException.class, () -> ExternalIds.mac(null));
  }

  @Test
  void aCanonicalMacIsReturnedAsIs() {
    String canonical = new String("0a:1b:2c:3d:4e:5f".toCharArray());
    assertSame(canonical, ExternalIds.mac(canonical));
    assertSame(canonical, ExternalIds.canonical(ExternalIds.MQTT, canonical));
    assertEquals("0a:1b:2c:3d:4e:5f", ExternalIds.mac("0A:1b:2C:3d:4E:5f"));
  }

  @Test
  void devEuiAgreesWithTheRegexImplementation() {
    Random r = new Random(6);
    for (int i = 0; i < 100_000; i++) {
      String s = randomId(r, r.nextInt(8) == 0 ? r.nextInt(10) : 8);
      assertEquals(outcome(ExternalIdsTest::oldDevEui, s), outcome(ExternalIds::devEui, s), s);
    }
  }
}
