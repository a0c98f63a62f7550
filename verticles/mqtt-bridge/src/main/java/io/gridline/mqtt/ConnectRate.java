package io.gridline.mqtt;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mqtt.connect-rate-per-address} for the whole node: one {@link TokenBucket} per source address, shared by
 * every bridge instance of a Vert.x. A CONNECT costs a registry lookup and a hash; one address must not be able to
 * spend them at will. The map is keyed by what a client chooses (its address), so it is bounded: a bucket that has
 * refilled is no different from a fresh one and is dropped at the next sweep (at most once a second), and with
 * {@link #MAX_ADDRESSES} addresses seen within about a second, new ones are refused until the sweep frees room.
 */
final class ConnectRate implements Shareable {
  static final int MAX_ADDRESSES = 100_000;
  private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;
  private static final long NEVER = Long.MIN_VALUE;

  private final ConcurrentHashMap<String, TokenBucket> byAddress = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep = new AtomicLong(NEVER);

  static ConnectRate of(Vertx vertx) {
    return vertx.sharedData().<String, ConnectRate>getLocalMap("gridline.mqtt.quota")
        .computeIfAbsent("connect-rate", k -> new ConnectRate());
  }

  /** Takes one CONNECT from {@code address}'s bucket; false when it is empty (or the map is full of busy addresses). */
  boolean tryConnect(String address, int perSecond) {
    return tryConnect(address, perSecond, System.nanoTime());
  }

  boolean tryConnect(String address, int perSecond, long now) {
    long last = lastSweep.get();
    if ((last == NEVER || now - last >= SWEEP_EVERY_NANOS) && lastSweep.compareAndSet(last, now)) {
      sweep(now);
    }
    TokenBucket bucket = byAddress.get(address);
    if (bucket == null) {
      if (byAddress.size() >= MAX_ADDRESSES) {
        return false;
      }
      bucket = byAddress.computeIfAbsent(address, a -> new TokenBucket(perSecond, now));
    }
    synchronized (bucket) {
      return bucket.tryTake(now);
    }
  }

  private void sweep(long now) {
    byAddress.values().removeIf(bucket -> {
      synchronized (bucket) {
        return bucket.full(now);
      }
    });
  }

  /** Addresses with a bucket: those that connected within about the last second. */
  int addresses() {
    return byAddress.size();
  }
}
