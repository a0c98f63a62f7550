package io.gridline.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.webhooks.EndpointGate.Admission;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class EndpointGateTest {
  private static final String E = "https://a.example:443";
  private static final String URL = "https://a.example/hook";

  @Test
  void limitsAttemptsInFlightPerEndpoint() {
    EndpointGate gate = new EndpointGate(2, 3, 60_000, new SimpleMeterRegistry(), "1");
    assertEquals(Admission.GO, gate.admit(E, URL));
    assertEquals(Admission.GO, gate.admit(E, URL));
    assertEquals(Admission.BUSY, gate.admit(E, URL));
    assertTrue(gate.blockedUrls().contains(URL));
    assertEquals(Admission.GO, gate.admit("https://b.example:443", "https://b.example/"), "other endpoints unaffected");
    gate.release(E, true, true);
    assertTrue(gate.blockedUrls().isEmpty() || !gate.blockedUrls().contains(URL));
    assertEquals(Admission.GO, gate.admit(E, URL));
  }

  @Test
  void opensAfterTheThresholdThenLetsOneTrialThrough() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    EndpointGate gate = new EndpointGate(10, 3, 200, meters, "1");
    for (int i = 0; i < 3; i++) {
      assertEquals(Admission.GO, gate.admit(E, URL));
      gate.release(E, false, true);
    }
    assertEquals(Admission.CIRCUIT_OPEN, gate.admit(E, URL));
    assertTrue(gate.openUntil(E) > System.currentTimeMillis());
    assertEquals(1.0, meters.get("gridline.webhooks.circuit").tag("endpoint", E).tag("instance", "1").gauge().value());
    Thread.sleep(250);
    assertEquals(Admission.GO, gate.admit(E, URL), "half-open: one trial");
    assertEquals(Admission.CIRCUIT_OPEN, gate.admit(E, URL), "only one trial at a time");
    gate.release(E, false, true);
    assertEquals(Admission.CIRCUIT_OPEN, gate.admit(E, URL), "a failed trial opens it again");
    Thread.sleep(250);
    assertEquals(Admission.GO, gate.admit(E, URL));
    gate.release(E, true, true);
    assertEquals(0.0, meters.get("gridline.webhooks.circuit").tag("endpoint", E).tag("instance", "1").gauge().value());
    assertEquals(Admission.GO, gate.admit(E, URL));
  }

  @Test
  void failuresThatNeverReachedTheEndpointDoNotCount() {
    EndpointGate gate = new EndpointGate(10, 2, 60_000, new SimpleMeterRegistry(), "1");
    for (int i = 0; i < 5; i++) {
      assertEquals(Admission.GO, gate.admit(E, URL));
      gate.release(E, false, false);
    }
    assertEquals(Admission.GO, gate.admit(E, URL));
  }
}
