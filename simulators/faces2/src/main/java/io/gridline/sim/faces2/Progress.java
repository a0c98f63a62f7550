package io.gridline.sim.faces2;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** Counters shared by every controller, the periodic progress line and the final summary. */
final class Progress {
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AckLatencies latencies = new AckLatencies();
  private volatile long startNanos = System.nanoTime();
  private volatile long lastAckNanos;
  private long lastNanos = startNanos;
  private long lastAcked;

  /** Marks the start of publishing: connecting is not part of the achieved rate. */
  synchronized void start() {
    startNanos = System.nanoTime();
    lastNanos = startNanos;
  }

  void sent() {
    sent.incrementAndGet();
  }

  void acked(long latencyNanos) {
    acked.incrementAndGet();
    latencies.record(latencyNanos);
    lastAckNanos = System.nanoTime();
  }

  void failed() {
    failed.incrementAndGet();
  }

  long sentCount() {
    return sent.get();
  }

  long ackedCount() {
    return acked.get();
  }

  long failedCount() {
    return failed.get();
  }

  /** Prints e.g. {@code [   5s] sent 40 acked 40 failed 0 in-flight 0 rate 8.0/s}; the rate is acks since the last line. */
  synchronized void printLine(PrintStream out) {
    long now = System.nanoTime();
    long ackedNow = acked.get();
    double rate = (ackedNow - lastAcked) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastNanos = now;
    lastAcked = ackedNow;
    out.println(String.format(Locale.ROOT, "[%5.0fs] sent %d acked %d failed %d in-flight %d rate %.1f/s",
        (now - startNanos) / 1e9, sent.get(), ackedNow, failed.get(), inFlight(), rate));
  }

  /** The achieved rate counts from the first publish to the last acknowledgement. */
  String summary() {
    long end = acked.get() > 0 ? lastAckNanos : System.nanoTime();
    double seconds = Math.max(1e-3, (end - startNanos) / 1e9);
    return String.format(Locale.ROOT,
        "summary: sent %d acked %d failed %d unacknowledged %d in %.1fs, achieved %.1f acks/s,"
            + " ack latency p50 %.1f ms p99 %.1f ms",
        sent.get(), acked.get(), failed.get(), inFlight(), seconds, acked.get() / seconds,
        latencies.percentileMillis(0.50), latencies.percentileMillis(0.99));
  }

  private long inFlight() {
    return Math.max(0, sent.get() - acked.get() - failed.get());
  }
}
