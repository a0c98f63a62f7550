package io.gridline.webhooks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per endpoint ({@code scheme://host:port}): at most {@code max-concurrency-per-endpoint} attempts in flight, and a
 * circuit breaker — {@code circuit-failure-threshold} failures in a row open it for {@code circuit-open-ms}, then one
 * trial attempt is let through (half-open): its success closes the circuit, its failure opens it again. So one slow or
 * dead endpoint holds at most its own slots, never the others'. Runs on the verticle's event loop only.
 */
final class EndpointGate {
  enum Admission { GO, BUSY, CIRCUIT_OPEN }

  private final int maxPerEndpoint;
  private final int failureThreshold;
  private final long openMs;
  private final MeterRegistry meters;
  private final String instance;
  private final Map<String, Endpoint> endpoints = new HashMap<>();
  private final List<Gauge> gauges = new ArrayList<>();

  private final class Endpoint {
    final Set<String> urls = new HashSet<>();
    int inFlight;
    int failuresInRow;
    long openUntil;
    boolean trialInFlight;

    /** 0 closed, 1 open, 0.5 half-open (open time over, trial allowed or running). */
    double state() {
      if (openUntil == 0) {
        return 0;
      }
      return System.currentTimeMillis() < openUntil ? 1 : 0.5;
    }
  }

  EndpointGate(int maxPerEndpoint, int failureThreshold, long openMs, MeterRegistry meters, String instance) {
    this.instance = instance;
    this.maxPerEndpoint = maxPerEndpoint;
    this.failureThreshold = failureThreshold;
    this.openMs = openMs;
    this.meters = meters;
  }

  private Endpoint endpoint(String key) {
    return endpoints.computeIfAbsent(key, k -> {
      Endpoint e = new Endpoint();
      gauges.add(Gauge.builder("gridline.webhooks.circuit", e, Endpoint::state)
          .description("circuit of a webhook endpoint: 0 closed, 0.5 half-open, 1 open").tag("endpoint", k)
          .tag("instance", instance).strongReference(true).register(meters));
      return e;
    });
  }

  /** Takes a slot when the endpoint has one and its circuit lets an attempt through. */
  Admission admit(String key, String url) {
    Endpoint e = endpoint(key);
    e.urls.add(url);
    if (e.openUntil != 0) {
      if (System.currentTimeMillis() < e.openUntil || e.trialInFlight) {
        return Admission.CIRCUIT_OPEN;
      }
      e.trialInFlight = true;
    } else if (e.inFlight >= maxPerEndpoint) {
      return Admission.BUSY;
    }
    e.inFlight++;
    return Admission.GO;
  }

  /** When the endpoint's circuit lets the next attempt through (its open time's end). */
  long openUntil(String key) {
    return endpoint(key).openUntil;
  }

  /**
   * Gives the slot back with the attempt's result.
   *
   * @param reachedEndpoint false when the attempt never talked to the endpoint (refused target): not its fault
   */
  void release(String key, boolean success, boolean reachedEndpoint) {
    Endpoint e = endpoint(key);
    e.inFlight--;
    boolean trial = e.trialInFlight;
    e.trialInFlight = false;
    if (!reachedEndpoint) {
      return;
    }
    if (success) {
      e.failuresInRow = 0;
      e.openUntil = 0;
    } else if (++e.failuresInRow >= failureThreshold || trial) {
      e.openUntil = System.currentTimeMillis() + openMs;
    }
  }

  /** URLs of endpoints that cannot take an attempt now: the claim leaves their rows in the table. */
  Set<String> blockedUrls() {
    Set<String> out = new HashSet<>();
    long now = System.currentTimeMillis();
    endpoints.forEach((k, e) -> {
      boolean open = e.openUntil != 0 && (now < e.openUntil || e.trialInFlight);
      if (open || (e.openUntil == 0 && e.inFlight >= maxPerEndpoint)) {
        out.addAll(e.urls);
      }
    });
    return out;
  }

  void close() {
    gauges.forEach(meters::remove);
    gauges.clear();
  }
}
