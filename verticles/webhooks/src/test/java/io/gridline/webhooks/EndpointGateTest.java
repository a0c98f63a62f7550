package io.gridline.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.webhooks.EndpointGate.Admission;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
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
    assertEquals(1.0, meters.get("gridline.webhooks.circuit").tag("endpoint", EndpointGate.tagOf(E)).tag("instance", "1")
        .gauge().value());
    Thread.sleep(250);
    assertEquals(Admission.GO, gate.admit(E, URL), "half-open: one trial");
    assertEquals(Admission.CIRCUIT_OPEN, gate.admit(E, URL), "only one trial at a time");
    gate.release(E, false, true);
    assertEquals(Admission.CIRCUIT_OPEN, gate.admit(E, URL), "a failed trial opens it again");
    Thread.sleep(250);
    assertEquals(Admission.GO, gate.admit(E, URL));
    gate.release(E, true, true);
    assertEquals(0.0, meters.get("gridline.webhooks.circuit").tag("endpoint", EndpointGate.tagOf(E)).tag("instance", "1")
        .gauge().value());
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

  @Test
  void theCircuitGaugeIsTaggedWithAShortHashOfTheEndpointNotItsHost() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    EndpointGate gate = new EndpointGate(10, 3, 60_000, meters, "1");
    gate.admit(E, URL);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest("https://a.example:443".getBytes(StandardCharsets.UTF_8))).substring(0, 12);
    assertEquals(expected, EndpointGate.tagOf(E));
    var gauge = meters.get("gridline.webhooks.circuit").gauge();
    assertEquals(expected, gauge.getId().getTag("endpoint"));
    gauge.getId().getTags().forEach(t -> assertFalse(t.getValue().contains("a.example"), t.toString()));
  }

  @Test
  void idleEndpointsAreForgottenWithTheirGaugeButNotWhileInFlightOrOpen() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    EndpointGate gate = new EndpointGate(10, 1, 60_000, meters, "1");
    String busy = "https://busy.example:443";
    String open = "https://open.example:443";
    gate.admit(E, URL);
    gate.release(E, true, true);
    gate.admit(busy, "https://busy.example/");
    gate.admit(open, "https://open.example/");
    gate.release(open, false, true); // threshold 1: open for a minute
    Thread.sleep(20);
    assertEquals(3, meters.find("gridline.webhooks.circuit").gauges().size());

    assertEquals(0, gate.forget(Set.of(), 60_000), "nothing idle for a minute yet");
    assertEquals(1, gate.forget(Set.of(), 10), "idle: only the endpoint with nothing in flight and a closed circuit");
    assertEquals(Set.of(EndpointGate.tagOf(busy), EndpointGate.tagOf(open)), tags(meters));
    gate.release(busy, true, true);
    Thread.sleep(20);
    assertEquals(1, gate.forget(Set.of(), 10));
    assertEquals(Set.of(EndpointGate.tagOf(open)), tags(meters));
    assertEquals(1, gate.size());
  }

  @Test
  void anEndpointWhoseSubscriptionsAreAllInactiveIsForgottenAtOnceEvenWithAnOpenCircuit() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    EndpointGate gate = new EndpointGate(10, 2, 60_000, meters, "1");
    String second = "https://a.example/other";
    gate.admit(E, URL);
    gate.release(E, false, true);
    assertEquals(Admission.GO, gate.admit(E, second));
    assertEquals(0, gate.forget(Set.of(URL), 3_600_000), "an attempt is in flight, and another URL is in use");
    assertEquals(Set.of(second), gate.urls());
    gate.release(E, false, true);
    assertEquals(Admission.CIRCUIT_OPEN, gate.admit(E, second));
    assertEquals(0, gate.forget(Set.of(), 3_600_000), "not idle, still used");
    assertEquals(1, gate.forget(Set.of(second), 3_600_000));
    assertTrue(meters.find("gridline.webhooks.circuit").gauges().isEmpty());
    assertTrue(gate.urls().isEmpty());
    assertEquals(Admission.GO, gate.admit(E, URL), "a forgotten endpoint starts afresh");
  }

  private static Set<String> tags(SimpleMeterRegistry meters) {
    return meters.find("gridline.webhooks.circuit").gauges().stream().map(g -> g.getId().getTag("endpoint"))
        .collect(Collectors.toSet());
  }
}
