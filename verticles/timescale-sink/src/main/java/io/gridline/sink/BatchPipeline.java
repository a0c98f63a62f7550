package io.gridline.sink;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.ArrayDeque;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands sealed batches to {@link BatchHandler}, up to {@code sink.max-batches-in-flight} written at once (one
 * connection each: the client encodes one batch while the server inserts another), offsets committed in batch order.
 * When a sealed batch finds every slot busy (a slow or unreachable database), consumption pauses until it got one —
 * memory stays bounded at about {@code max-batches-in-flight + 2} batches.
 */
final class BatchPipeline {
  private static final Logger log = LoggerFactory.getLogger(BatchPipeline.class);
  private final KafkaConsumer<String, Buffer> consumer;
  private final BatchHandler handler;
  private final int maxInFlight;
  private final Queue<BatchContext> waiting = new ArrayDeque<>();
  private Future<Void> lastCommitted = Future.succeededFuture();
  private int inFlight;
  private boolean paused;
  private boolean stopping;
  private Promise<Void> drained;

  BatchPipeline(KafkaConsumer<String, Buffer> consumer, BatchHandler handler, int maxInFlight) {
    this.consumer = consumer;
    this.handler = handler;
    this.maxInFlight = maxInFlight;
  }

  void submit(BatchContext batch) {
    waiting.add(batch);
    pump();
  }

  private void pump() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      BatchContext batch = waiting.poll();
      inFlight++;
      Future<Void> committed = handler.handle(batch, lastCommitted);
      lastCommitted = committed;
      committed.onComplete(ar -> {
        inFlight--;
        if (ar.failed()) {
          log.warn("{} not stored or not committed ({}); its records will be redelivered", batch,
              ar.cause().getMessage());
        }
        pump();
      });
    }
    if (waiting.isEmpty()) {
      resume();
    } else {
      pause();
    }
    if (inFlight == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  private void pause() {
    if (!paused) {
      paused = true;
      consumer.pause();
    }
  }

  private void resume() {
    if (paused && !stopping) {
      paused = false;
      consumer.resume();
    }
  }

  /**
   * Stops consuming, seals the open batch with {@code sealOpen}, and completes once every sealed batch was written (or
   * given up on, when the database is down).
   */
  Future<Void> drain(Runnable sealOpen) {
    stopping = true;
    paused = true;
    consumer.pause();
    sealOpen.run();
    if (inFlight == 0) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    return drained.future();
  }
}
