package io.gridline.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class RequiredToolsTest {
  private static final String PATH = System.getenv("PATH");

  @Test
  void findsAProgramOnThePath() {
    assertTrue(RequiredTools.require("sh", "a shell", Map.of("PATH", PATH)).endsWith("/sh"));
  }

  @Test
  void missingToolSkipsOnALaptop() {
    var e = assertThrows(TestAbortedException.class,
        () -> RequiredTools.require("gridline-no-such-tool", "for the test", Map.of("PATH", PATH)));
    assertTrue(e.getMessage().contains("gridline-no-such-tool is not on the PATH (for the test)"), e.getMessage());
  }

  @Test
  void missingToolFailsUnderCi() {
    var e = assertThrows(AssertionError.class,
        () -> RequiredTools.require("gridline-no-such-tool", "for the test", Map.of("PATH", PATH, "CI", "true")));
    assertTrue(e.getMessage().contains("CI must have it"), e.getMessage());
  }
}
