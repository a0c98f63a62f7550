package io.gridline.processor;

import java.util.ArrayDeque;

/**
 * The records of one partition in flight, in offset order. A record's offset becomes committable only when it and
 * every record before it are durable, so a crash never skips an unfinished record (at-least-once).
 */
final class PartitionProgress {
  private static final class Entry {
    final long offset;
    boolean done;

    Entry(long offset) {
      this.offset = offset;
    }
  }

  private final ArrayDeque<Entry> inFlight = new ArrayDeque<>();
  private long committable = -1;
  private long committed = -1;

  /** Remembers a received record; call in offset order. The returned token marks it done. */
  Runnable received(long offset) {
    Entry e = new Entry(offset);
    inFlight.addLast(e);
    return () -> {
      e.done = true;
      while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
        committable = inFlight.pollFirst().offset + 1;
      }
    };
  }

  /** The offset to commit (next to read), or -1 when nothing new became durable since the last commit. */
  long toCommit() {
    return committable > committed ? committable : -1;
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  boolean idle() {
    return inFlight.isEmpty();
  }
}
