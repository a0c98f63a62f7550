package io.gridline.mqtt;

/**
 * A rate per second with bursts of up to one second's worth: {@code mqtt.max-publish-rate} and
 * {@code mqtt.max-subscribe-rate} per connection, {@code mqtt.connect-rate-per-address} per source address. Not
 * thread-safe: a connection's buckets live on its event loop; {@link ConnectRate} locks the shared ones.
 */
final class TokenBucket {
  private final double perSecond;
  private double tokens;
  private long last;

  TokenBucket(int perSecond) {
    this(perSecond, System.nanoTime());
  }

  TokenBucket(int perSecond, long nowNanos) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
    this.last = nowNanos;
  }

  boolean tryTake() {
    return tryTake(System.nanoTime());
  }

  boolean tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Whether the bucket has refilled completely: it then limits nothing a fresh one would not, and may be dropped. */
  boolean full(long nowNanos) {
    refill(nowNanos);
    return tokens >= perSecond;
  }

  private void refill(long nowNanos) {
    tokens = Math.min(perSecond, tokens + Math.max(0, nowNanos - last) / 1e9 * perSecond);
    last = Math.max(last, nowNanos);
  }
}
