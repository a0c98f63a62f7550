package io.gridline.runtime;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A budget of log lines per second for messages a device or a caller can provoke at will (refused CONNECTs, rejected
 * records): one misbehaving client must not fill the disk or drown everything else. Past the budget lines are counted,
 * not written; the next line written says how many were suppressed. Safe from any thread.
 */
public final class LogThrottle {
  private final Logger log;
  private final int perSecond;
  private final AtomicLong second = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();

  public LogThrottle(Logger log, int perSecond) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("perSecond must be positive");
    }
    this.log = log;
    this.perSecond = perSecond;
  }

  public void info(String format, Object... args) {
    if (log.isInfoEnabled() && admit()) {
      log.info(withSuppressed(format), args);
    }
  }

  public void warn(String format, Object... args) {
    if (log.isWarnEnabled() && admit()) {
      log.warn(withSuppressed(format), args);
    }
  }

  /** Lines not written since the last one that was. */
  public long suppressed() {
    return suppressed.get();
  }

  private boolean admit() {
    long now = System.currentTimeMillis() / 1000;
    long current = second.get();
    if (now != current && second.compareAndSet(current, now)) {
      written.set(0);
    }
    if (written.incrementAndGet() <= perSecond) {
      return true;
    }
    suppressed.incrementAndGet();
    return false;
  }

  private String withSuppressed(String format) {
    long n = suppressed.getAndSet(0);
    return n == 0 ? format : format + " (" + n + " similar lines suppressed)";
  }
}
