package io.gridline.mqtt;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code mqtt.max-connections} for the whole node: one counter shared by every bridge instance of a Vert.x. */
final class ConnectionQuota implements Shareable {
  private final AtomicInteger inUse = new AtomicInteger();

  static ConnectionQuota of(Vertx vertx) {
    return vertx.sharedData().<String, ConnectionQuota>getLocalMap("gridline.mqtt.quota")
        .computeIfAbsent("connections", k -> new ConnectionQuota());
  }

  boolean tryReserve(int max) {
    while (true) {
      int n = inUse.get();
      if (n >= max) {
        return false;
      }
      if (inUse.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    inUse.decrementAndGet();
  }

  int inUse() {
    return inUse.get();
  }
}
