package io.gridline.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;

/**
 * Elects the one upstream forwarder of a cluster: whoever holds the lock (a Hazelcast lock when the node is
 * clustered, a Vert.x-wide one otherwise) forwards; the others keep waiting for it and take over when the holder
 * releases it or its node leaves the cluster.
 */
final class ForwarderElection {
  private static final long WAIT_MS = 10_000;
  private static final long RETRY_MS = 500;

  private final Vertx vertx;
  private final String lockName;
  private Lock lock;
  private boolean resigned;

  ForwarderElection(Vertx vertx, String lockName) {
    this.vertx = vertx;
    this.lockName = lockName;
  }

  /** Completes once this instance is the forwarder; never fails before {@link #resign}. */
  Future<Void> win() {
    Promise<Void> won = Promise.promise();
    tryLock(won);
    return won.future();
  }

  private void tryLock(Promise<Void> won) {
    if (resigned) {
      won.tryFail("resigned");
      return;
    }
    vertx.sharedData().getLockWithTimeout(lockName, WAIT_MS).onComplete(ar -> {
      if (ar.failed()) {
        // still held elsewhere (timeout) or the cluster hiccuped: wait on
        vertx.setTimer(RETRY_MS, t -> tryLock(won));
      } else if (resigned) {
        ar.result().release();
        won.tryFail("resigned");
      } else {
        lock = ar.result();
        won.complete();
      }
    });
  }

  /** Stops waiting, or hands the lock to the next instance. */
  void resign() {
    resigned = true;
    if (lock != null) {
      lock.release();
      lock = null;
    }
  }
}
