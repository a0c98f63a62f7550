package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class UntrustedTextTest {

  @Test
  void storableTextLosesItsNulsAndIsCappedWithoutSplittingAPair() {
    assertEquals("ab", UntrustedText.storable("a\u0000b", 10));
    assertEquals("\"timestamp\" is not RFC 3339: ", UntrustedText.storable("\"timestamp\" is not RFC 3339: \u0000", 100));
    assertEquals("abc", UntrustedText.storable("abcdef", 3));
    // a surrogate pair is two chars: it is kept whole or dropped whole
    assertEquals("a", UntrustedText.storable("a\uD83D\uDE00", 2));
    assertEquals("a\uD83D\uDE00", UntrustedText.storable("a\uD83D\uDE00", 3));
    // an unpaired surrogate cannot be UTF-8 encoded: it becomes the replacement character
    assertEquals("x\uFFFDy", UntrustedText.storable("x\uD800y", 10));
    assertEquals("x\uFFFD", UntrustedText.storable("x\uDC00", 10));
    assertNull(UntrustedText.storable(null, 10));
    String clean = "clean text ü";
    assertSame(clean, UntrustedText.storable(clean, 100));
  }

  @Test
  void storabilityIsDecidedByNulsAndUnpairedSurrogates() {
    assertTrue(UntrustedText.isStorable("plain \uD83D\uDE00"));
    assertFalse(UntrustedText.isStorable("nul \u0000"));
    assertFalse(UntrustedText.isStorable("lone \uD83D"));
    assertFalse(UntrustedText.isStorable("\uDE00 lone low"));
  }

  @Test
  void logTextIsEscapedQuotedAndCapped() {
    assertEquals("\"f2-\\u000a[INFO] forged\"", UntrustedText.forLog("f2-\n[INFO] forged"));
    assertEquals("\"a\\\"b\\\\c\\u0000\"", UntrustedText.forLog("a\"b\\c\u0000"));
    assertEquals("\"\\u001b[31mred\"", UntrustedText.forLog("\u001b[31mred"));
    assertEquals("\"\\u202e\"", UntrustedText.forLog("\u202e")); // right-to-left override
    String longText = "x".repeat(1000);
    String logged = UntrustedText.forLog(longText);
    assertTrue(logged.length() < 250, logged);
    assertTrue(logged.endsWith("…(1000 chars)"), logged);
    assertEquals("null", UntrustedText.forLog((Object) null));
    assertEquals("\"\uFFFD\"", UntrustedText.forLog(new byte[] {(byte) 0xff}));
    assertEquals("\"ok\"", UntrustedText.forLog("ok".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aThrottledLogWritesItsBudgetPerSecondAndCountsTheRest() {
    LogThrottle throttle = new LogThrottle(LoggerFactory.getLogger(UntrustedTextTest.class), 5);
    for (int i = 0; i < 50; i++) {
      throttle.info("line {}", i);
    }
    long suppressed = throttle.suppressed();
    // all 50 fall within one or two wall-clock seconds: at most 10 were written
    assertTrue(suppressed >= 40, "suppressed " + suppressed);
  }
}
