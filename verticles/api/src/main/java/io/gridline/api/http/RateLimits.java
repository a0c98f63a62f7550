package io.gridline.api.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code api.rate-limit}: a token bucket per API key (the admin key has one too), refilled at {@code rate} requests a
 * second and holding up to {@code burst}. One set per node, shared by every api instance of the Vert.x (so
 * {@code --instances api=4} does not quadruple a key's allowance); nodes do not share theirs, so behind a load balancer
 * a key gets the limit on each node. Keyed by the authenticated key, so only existing keys take a slot, and bounded
 * anyway: past {@link #MAX_KEYS} the least recently used bucket is dropped, and that key starts again with a full one.
 */
final class RateLimits implements Shareable {
  static final int MAX_KEYS = 10_000;
  private static final UUID ADMIN = new UUID(0, 0);
  private final double perSecond;
  private final double burst;
  private final Map<UUID, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, Bucket> eldest) {
      return size() > MAX_KEYS;
    }
  };

  private RateLimits(double perSecond, double burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** The node's limits for this rate and burst; {@code null} when {@code perSecond} is 0 (off). */
  static RateLimits of(Vertx vertx, int perSecond, int burst) {
    if (perSecond <= 0) {
      return null;
    }
    return vertx.sharedData().<String, RateLimits>getLocalMap("gridline.api.rate-limits")
        .computeIfAbsent(perSecond + "/" + burst, k -> new RateLimits(perSecond, Math.max(1, burst)));
  }

  /** The caller when its key has a request left, else a 429 saying when the next one will be. */
  Future<Caller> admit(Caller caller) {
    long retryAfterSeconds = take(caller.isAdmin() ? ADMIN : caller.keyId(), System.nanoTime());
    return retryAfterSeconds == 0 ? Future.succeededFuture(caller)
        : Future.failedFuture(Problem.tooManyRequests(retryAfterSeconds));
  }

  /** 0 when a token was taken, else whole seconds (at least 1) until one is there. */
  synchronized long take(UUID key, long nowNanos) {
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
    b.tokens = Math.min(burst, b.tokens + (nowNanos - b.refilledAt) / 1e9 * perSecond);
    b.refilledAt = nowNanos;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
  }

  synchronized int size() {
    return buckets.size();
  }

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long refilledAt) {
      this.tokens = tokens;
      this.refilledAt = refilledAt;
    }
  }
}
