package io.gridline.processor;

import io.gridline.runtime.BoundedRetry;
import io.gridline.runtime.Failures;
import io.gridline.runtime.Parking;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds raw records to the {@link TelemetryHandler}: in order within a partition (the next record of a partition
 * starts once the previous one's outputs are handed to the producer), at most {@code maxInFlight} records not yet
 * durable (the consumer pauses when the window is full), offsets committed only up to the last durable record. A record
 * whose handling fails for another reason than bad input is retried under the {@link BoundedRetry} rule: a database
 * that refuses the record's outputs for good (SQLSTATE 22/23) or keeps failing it ({@code processor.max-attempts}) has
 * it parked on {@code gridline.telemetry.parked} instead, so no single record holds its partition; an unreachable
 * store is waited for.
 */
final class TelemetryIntake {
  private static final Logger log = LoggerFactory.getLogger(TelemetryIntake.class);

  /**
   * One partition's order of work and commit progress. A queue rather than a chain of futures: once warm every step
   * completes synchronously, and a chain of a thousand waiting records would complete recursively and overflow the stack.
   */
  private static final class Lane {
    final PartitionProgress progress = new PartitionProgress();
    final ArrayDeque<KafkaConsumerRecord<String, Buffer>> waiting = new ArrayDeque<>();
    final ArrayDeque<Runnable> tokens = new ArrayDeque<>();
    boolean busy;
  }

  private final Vertx vertx;
  private final KafkaConsumer<String, Buffer> consumer;
  private final TelemetryHandler handler;
  private final BoundedRetry retry;
  private final Parking parking;
  private final int maxInFlight;
  private final Map<TopicPartition, Lane> lanes = new HashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Over every instance in this process: what the gauge shows (a redeployed instance must not leave it stale). */
  private static final AtomicInteger PROCESS_IN_FLIGHT = new AtomicInteger();
  private final Timer pickedUp;
  private final Timer latency;
  private volatile boolean assigned;
  private boolean paused;
  private boolean stopping;

  TelemetryIntake(Vertx vertx, KafkaConsumer<String, Buffer> consumer, TelemetryHandler handler, BoundedRetry retry,
      Parking parking, int maxInFlight, MeterRegistry meters) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.handler = handler;
    this.retry = retry;
    this.parking = parking;
    this.maxInFlight = maxInFlight;
    Gauge.builder("gridline.processor.in.flight", PROCESS_IN_FLIGHT, AtomicInteger::get).strongReference(true)
        .description("raw records received and not yet durable").register(meters);
    pickedUp = Timer.builder("gridline.processor.pickup")
        .description("raw record produced (its Kafka timestamp) → the processor starts decoding it")
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(meters);
    latency = Timer.builder("gridline.processor.latency")
        .description("raw record produced (its Kafka timestamp) → its outputs acknowledged by Kafka")
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(meters);
  }

  Future<Void> start(String topic) {
    consumer.partitionsAssignedHandler(this::assigned);
    consumer.partitionsRevokedHandler(this::revoked);
    consumer.exceptionHandler(err -> log.warn("kafka consumer: {}", err.getMessage()));
    consumer.handler(this::receive);
    return consumer.subscribe(topic);
  }

  /** True once the group gave this consumer its partitions (possibly none, when there are more consumers). */
  boolean assigned() {
    return assigned;
  }

  private void assigned(Set<TopicPartition> partitions) {
    partitions.forEach(tp -> lanes.computeIfAbsent(tp, k -> new Lane()));
    assigned = true;
    log.info("stream-processor assigned {}", partitions);
  }

  private void revoked(Set<TopicPartition> partitions) {
    // Commit what is durable; in-flight records of these partitions will be redelivered to the next owner.
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions);
    partitions.forEach(lanes::remove);
    if (!offsets.isEmpty()) {
      consumer.commit(offsets).onFailure(err -> log.warn("commit on revoke failed: {}", err.getMessage()));
    }
  }

  private void receive(KafkaConsumerRecord<String, Buffer> record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    Lane lane = lanes.computeIfAbsent(tp, k -> new Lane());
    lane.tokens.addLast(lane.progress.received(record.offset()));
    lane.waiting.addLast(record);
    PROCESS_IN_FLIGHT.incrementAndGet();
    if (inFlight.incrementAndGet() >= maxInFlight && !paused) {
      paused = true;
      consumer.pause();
    }
    drain(lane);
  }

  /** Starts the lane's waiting records one after the other, each once the previous one was dispatched. */
  private void drain(Lane lane) {
    while (!lane.busy && !lane.waiting.isEmpty()) {
      KafkaConsumerRecord<String, Buffer> record = lane.waiting.pollFirst();
      Runnable done = lane.tokens.pollFirst();
      lane.busy = true;
      Promise<Void> dispatched = Promise.promise();
      process(record, dispatched).onComplete(ar -> finished(ar.succeeded() ? done : null));
      Future<Void> next = dispatched.future();
      if (next.isComplete()) {
        lane.busy = false;
      } else {
        next.onComplete(v -> {
          lane.busy = false;
          drain(lane);
        });
      }
    }
  }

  /** @param done the record's progress token, or null when it was abandoned (stopping): it stays uncommitted */
  private void finished(Runnable done) {
    if (done != null) {
      done.run();
    }
    PROCESS_IN_FLIGHT.decrementAndGet();
    if (inFlight.decrementAndGet() <= maxInFlight / 2 && paused && !stopping) {
      paused = false;
      consumer.resume();
    }
  }

  /**
   * Handles the record until its outputs are durable, or parks it; completes {@code dispatched} when the next record of
   * the partition may start. Fails only while stopping, leaving the record uncommitted for the next consumer.
   */
  private Future<Void> process(KafkaConsumerRecord<String, Buffer> record, Promise<Void> dispatched) {
    int[] attempts = {0};
    return retry.run(() -> attempt(record, attempts[0]++, dispatched), (err, kind, counted, delayMs) ->
            log.warn("{}-{}@{} failed ({}, {}; {} counted attempt(s)), retrying in {} ms", record.topic(),
                record.partition(), record.offset(), kind, Failures.describe(err), counted, delayMs))
        .recover(err -> err instanceof BoundedRetry.GaveUp gaveUp ? park(record, gaveUp) : Future.failedFuture(err))
        .onComplete(ar -> dispatched.tryComplete());
  }

  /** Parks the record; Kafka refusing even that is retried (logged) until it takes it or the intake stops. */
  private Future<Void> park(KafkaConsumerRecord<String, Buffer> record, BoundedRetry.GaveUp gaveUp) {
    return retry.run(() -> parking.park(record, gaveUp), (e, kind, counted, delayMs) ->
            log.warn("parking {}-{}@{} failed ({}), retrying in {} ms", record.topic(), record.partition(),
                record.offset(), Failures.describe(e), delayMs))
        .recover(err -> {
          if (stopping) {
            return Future.failedFuture(err);
          }
          log.error("{}-{}@{} could not be parked ({}); trying again", record.topic(), record.partition(),
              record.offset(), Failures.describe(err));
          Promise<Void> again = Promise.promise();
          vertx.setTimer(retry.policy().maxBackoffMs(), t -> park(record, gaveUp).onComplete(again));
          return again.future();
        });
  }

  private Future<Void> attempt(KafkaConsumerRecord<String, Buffer> record, int attempt, Promise<Void> dispatched) {
    TelemetryContext ctx = new TelemetryContext(record, System.currentTimeMillis());
    if (attempt == 0) {
      pickedUp.record(Math.max(0, ctx.now - record.timestamp()), TimeUnit.MILLISECONDS);
    }
    return handler.handle(ctx)
        .onSuccess(v -> dispatched.tryComplete())
        .compose(v -> ctx.acked)
        .onSuccess(v -> latency.record(Math.max(0, System.currentTimeMillis() - record.timestamp()),
            TimeUnit.MILLISECONDS));
  }

  /** Commits every partition's durable progress. */
  Future<Void> commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(lanes.keySet());
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    return consumer.commit(offsets).onSuccess(done -> offsets.forEach((tp, o) -> {
      Lane lane = lanes.get(tp);
      if (lane != null) {
        lane.progress.committed(o.getOffset());
      }
    })).mapEmpty();
  }

  private Map<TopicPartition, OffsetAndMetadata> committable(Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      Lane lane = lanes.get(tp);
      long next = lane == null ? -1 : lane.progress.toCommit();
      if (next >= 0) {
        offsets.put(tp, new OffsetAndMetadata(next, ""));
      }
    }
    return offsets;
  }

  /** Stops taking records, waits (up to {@code timeoutMs}) for those in flight, commits, closes the consumer. */
  Future<Void> stop(long timeoutMs) {
    stopping = true;
    consumer.pause();
    retry.stop();
    Promise<Void> drained = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    vertx.setPeriodic(0, 20, id -> {
      if (inFlight.get() == 0 || System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        drained.tryComplete();
      }
    });
    return drained.future()
        .compose(v -> commit().recover(err -> {
          log.warn("final commit failed: {}", err.getMessage());
          return Future.succeededFuture();
        }))
        .eventually(consumer::close);
  }
}
