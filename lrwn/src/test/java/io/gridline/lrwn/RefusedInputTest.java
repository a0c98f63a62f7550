package io.gridline.lrwn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.lrwn.frame.FrameException;
import io.gridline.lrwn.gw.GatewayBridgeException;
import io.gridline.lrwn.semtechudp.SemtechPacketException;
import io.gridline.lrwn.maccommand.MacCommandException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The refusal labels are metric label values: dashboards and alerts name them, so they are pinned here. */
class RefusedInputTest {
  @Test
  void everyLayersReasonsHaveTheirKebabCaseLabels() {
    assertEquals(List.of("too-short", "too-long", "unsupported-major", "unsupported-mtype", "bad-length",
        "fopts-overrun", "fopts-with-port-zero", "unknown-cflist-type"), labels(FrameException.Reason.values()));
    assertEquals(List.of("unknown-cid", "truncated"), labels(MacCommandException.Reason.values()));
    assertEquals(List.of("too-short", "unknown-version", "unknown-identifier", "bad-json", "bad-field",
        "unsupported-modulation"), labels(SemtechPacketException.Reason.values()));
    assertEquals(List.of("bad-json", "bad-field", "unsupported-modulation"),
        labels(GatewayBridgeException.Reason.values()));
  }

  @Test
  void theMessageLeadsWithTheLabel() {
    FrameException e = new FrameException(FrameException.Reason.BAD_LENGTH, "JoinRequest of 22 octets, not 23");
    assertEquals("bad-length", e.label());
    assertEquals("bad-length: JoinRequest of 22 octets, not 23", e.getMessage());
    assertEquals(0, e.getStackTrace().length);
  }

  private static List<String> labels(Enum<?>[] reasons) {
    return Arrays.stream(reasons).map(RefusedInput::label).toList();
  }
}
