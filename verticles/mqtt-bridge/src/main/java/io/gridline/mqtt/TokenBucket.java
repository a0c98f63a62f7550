package io.gridline.mqtt;

/** {@code mqtt.max-publish-rate} for one connection: a token bucket holding one second's worth of publishes. */
final class PublishRate {
  private final double perSecond;
  private double tokens;
  private long last = System.nanoTime();

  PublishRate(int perSecond) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
  }

  boolean tryTake() {
    long now = System.nanoTime();
    tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
