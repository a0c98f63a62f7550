package io.gridline.sim.lorawan;

import java.util.concurrent.atomic.LongAdder;

/** What the run did and saw, for the progress lines and the summary. */
final class Counters {
  final LongAdder uplinks = new LongAdder();
  final LongAdder confirmedUplinks = new LongAdder();
  final LongAdder datagrams = new LongAdder();
  final LongAdder pushAcks = new LongAdder();
  final LongAdder pullAcks = new LongAdder();
  final LongAdder joinsSent = new LongAdder();
  final LongAdder joinsAccepted = new LongAdder();
  final LongAdder downlinks = new LongAdder();
  final LongAdder acksReceived = new LongAdder();
  final LongAdder errors = new LongAdder();

  String line() {
    return String.format(java.util.Locale.ROOT, "uplinks %d (datagrams %d, push-acked %d), joins %d/%d, "
            + "downlinks %d, acks %d/%d confirmed, errors %d", uplinks.sum(), datagrams.sum(), pushAcks.sum(),
        joinsAccepted.sum(), joinsSent.sum(), downlinks.sum(), acksReceived.sum(), confirmedUplinks.sum(),
        errors.sum());
  }
}
