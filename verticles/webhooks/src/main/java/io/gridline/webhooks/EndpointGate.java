package io.gridline.webhooks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Per endpoint ({@code scheme://host:port}): at most {@code max-concurrency-per-endpoint} attempts in flight, and a
 * circuit breaker — {@code circuit-failure-threshold} failures in a row open it for {@code circuit-open-ms}, then one
 * trial attempt is let through (half-open): its success closes the circuit, its failure opens it again. So one slow or
 * dead endpoint holds at most its own slots, never the others'. Runs on the verticle's event loop only.
 *
 * <p>Endpoints are chosen by tenants, so what is kept per endpoint is bounded by the endpoints in use: an endpoint is
 * forgotten, with its circuit gauge, once it had no attempt for {@code webhooks.endpoint-idle-ms} (and its circuit is
 * not open), or once none of its subscriptions is active any more ({@link #forget}). The gauge is tagged with a short
 * hash of the endpoint ({@link #tagOf}), never the tenant's host: {@code /metrics} is no list of receivers.
 */
final class EndpointGate {
  enum Admission { GO, BUSY, CIRCUIT_OPEN }

  private final int maxPerEndpoint;
  private final int failureThreshold;
  private final long openMs;
  private final MeterRegistry meters;
  private final String instance;
  private final Map<String, Endpoint> endpoints = new HashMap<>();

  private final class Endpoint {
    final Set<String> urls = new HashSet<>();
    Gauge gauge;
    long lastUsed = System.currentTimeMillis();
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
      e.gauge = Gauge.builder("gridline.webhooks.circuit", e, Endpoint::state)
          .description("circuit of a webhook endpoint (tag: the first 12 hex digits of the SHA-256 of "
              + "scheme://host:port): 0 closed, 0.5 half-open, 1 open")
          .tag("endpoint", tagOf(k)).tag("instance", instance).strongReference(true).register(meters);
      return e;
    });
  }

  /**
   * The metric tag of an endpoint: the first 12 hex digits of the SHA-256 of its {@code scheme://host:port} — stable
   * across nodes and restarts, and an operator who knows an endpoint can compute it
   * ({@code printf %s https://hooks.example.com:443 | sha256sum | cut -c1-12}), but it does not list the hosts.
   */
  static String tagOf(String endpoint) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(endpoint.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Takes a slot when the endpoint has one and its circuit lets an attempt through. */
  Admission admit(String key, String url) {
    Endpoint e = endpoint(key);
    e.urls.add(url);
    e.lastUsed = System.currentTimeMillis();
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
    e.lastUsed = System.currentTimeMillis();
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

  /** The subscription URLs of the endpoints known here (what {@link #forget} needs to know about). */
  Set<String> urls() {
    Set<String> out = new HashSet<>();
    endpoints.values().forEach(e -> out.addAll(e.urls));
    return out;
  }

  /**
   * Forgets, with their gauges, the endpoints with nothing in flight that either had no attempt for {@code idleMs}
   * (and whose circuit is not open: forgetting it would let a dead endpoint be tried at once), or whose every known URL
   * is in {@code inactiveUrls} (no active subscription uses it any more: deleted or deactivated).
   *
   * @return how many endpoints were forgotten
   */
  int forget(Set<String> inactiveUrls, long idleMs) {
    long now = System.currentTimeMillis();
    int forgotten = 0;
    for (Iterator<Endpoint> it = endpoints.values().iterator(); it.hasNext(); ) {
      Endpoint e = it.next();
      e.urls.removeAll(inactiveUrls);
      boolean unused = e.urls.isEmpty();
      boolean idle = now - e.lastUsed >= idleMs && now >= e.openUntil && !e.trialInFlight;
      if (e.inFlight == 0 && (unused || idle)) {
        meters.remove(e.gauge);
        it.remove();
        forgotten++;
      }
    }
    return forgotten;
  }

  /** How many endpoints are kept (each with its gauge). */
  int size() {
    return endpoints.size();
  }

  void close() {
    endpoints.values().forEach(e -> meters.remove(e.gauge));
    endpoints.clear();
  }
}
