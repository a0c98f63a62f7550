package io.gridline.webhooks;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.Topics;
import io.gridline.runtime.BoundedRetry;
import io.gridline.runtime.BoundedRetry.GaveUp;
import io.gridline.runtime.Failures;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.Parking;
import io.gridline.runtime.UntrustedText;
import io.gridline.webhooks.OutboxWriter.OutboxEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka {@code gridline.events} → outbox, one poll at a time: {@code decode → storeAll → parkRejected → commit}. The
 * poll's delivery rows are inserted in one transaction, and only then are its offsets committed and the next poll
 * made — so per partition the outbox follows Kafka's order, and a crash before the commit only replays records whose
 * rows already exist (ON CONFLICT DO NOTHING).
 *
 * <p>No record holds the feed for ever (docs/architecture.md §7, poison input): a failed insert follows the shared
 * {@link BoundedRetry} rule ({@code webhooks.feed-max-attempts}). An unreachable database is waited for (nothing could
 * pass it, and holding the partition is the back-pressure). When the poll's insert gives up, its events are inserted
 * one by one, in order, to find the bad ones: after a permanent error (SQLSTATE class 22/23, e.g. a NUL in the type,
 * an {@code occurredAt} PostgreSQL cannot store) each event gets the bounded attempts of its own; after the poll used
 * up
 * its attempts each event gets one more. An event that gives up is parked on {@code gridline.events.parked} (original
 * key, value and position, with the reason; {@link Parking}), the others are stored, and the poll is committed. A
 * record that is not a device event is parked the same way (reason {@code malformed}).
 */
final class EventFeed {
  static final String MALFORMED = "malformed";
  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
  private static final LogThrottle throttled = new LogThrottle(log, 5);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 10_000;
  private final KafkaConsumer<String, Buffer> consumer;
  private final Pool pool;
  private final OutboxWriter writer;
  private final Parking parking;
  private final Runnable onNewRows;
  /** the poll's insert, then each event's after a permanent error */
  private final BoundedRetry retry;
  /** each event's one more attempt after the poll's insert used up its attempts (an unreachable database is waited for) */
  private final BoundedRetry lastTry;
  /** parking waits for Kafka: a record is committed past only once it is parked */
  private final BoundedRetry parkRetry;
  private final Counter malformed;
  private final Counter events;
  private final Counter rows;
  private volatile boolean assigned;
  private volatile String outage;
  private boolean stopping;
  private boolean polling;
  private final Promise<Void> stopped = Promise.promise();

  /** A record to park: why, the last error and how many attempts included it. */
  private record Rejected(KafkaConsumerRecord<String, Buffer> record, String reason, Throwable error, int attempts) {}

  /** A decoded event and the record it came from (which is what gets parked). */
  private record Decoded(KafkaConsumerRecord<String, Buffer> record, OutboxEvent event) {}

  /** One poll on its way into the outbox. */
  private static final class PollContext {
    final KafkaConsumerRecords<String, Buffer> records;
    final List<Decoded> decoded = new ArrayList<>();
    final List<Rejected> rejected = new ArrayList<>();
    /** per partition: the first offset of the poll (to read it again) and the offset to commit */
    final Map<TopicPartition, Long> first = new HashMap<>();
    final Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    int inserted;

    PollContext(KafkaConsumerRecords<String, Buffer> records) {
      this.records = records;
    }

    List<OutboxEvent> events() {
      return decoded.stream().map(Decoded::event).toList();
    }
  }

  EventFeed(Vertx vertx, KafkaConsumer<String, Buffer> consumer, Pool pool, OutboxWriter writer, Parking parking,
      int maxAttempts, Runnable onNewRows, MeterRegistry meters) {
    this.consumer = consumer;
    this.pool = pool;
    this.writer = writer;
    this.parking = parking;
    this.onNewRows = onNewRows;
    retry = new BoundedRetry(vertx, new BoundedRetry.Policy(maxAttempts, FIRST_BACKOFF_MS, MAX_BACKOFF_MS));
    lastTry = new BoundedRetry(vertx, new BoundedRetry.Policy(1, FIRST_BACKOFF_MS, MAX_BACKOFF_MS));
    parkRetry = new BoundedRetry(vertx, new BoundedRetry.Policy(1, FIRST_BACKOFF_MS, MAX_BACKOFF_MS));
    malformed = Counter.builder("gridline.webhooks.events.malformed")
        .description("gridline.events records parked because they are not a valid device event").register(meters);
    events = Counter.builder("gridline.webhooks.events.consumed").description("device events read from gridline.events")
        .register(meters);
    rows = Counter.builder("gridline.webhooks.outbox.inserted")
        .description("webhook_deliveries rows created (one per matching subscription and event)").register(meters);
  }

  Future<Void> start() {
    consumer.partitionsAssignedHandler(p -> assigned = true);
    consumer.exceptionHandler(err -> log.warn("Kafka consumer: {}", err.getMessage()));
    return consumer.subscribe(Topics.EVENTS).onSuccess(v -> {
      polling = true;
      pollNext();
    });
  }

  /**
   * Stops polling after the poll in hand is stored and committed; a poll still waiting (for the database, or for Kafka
   * to park) is given up uncommitted: its events are read again by whoever gets the partition.
   */
  Future<Void> stop() {
    stopping = true;
    retry.stop();
    lastTry.stop();
    parkRetry.stop();
    if (!polling) {
      stopped.tryComplete();
    }
    return stopped.future();
  }

  Future<Void> close() {
    return consumer.close();
  }

  Future<Void> probe() {
    String reason = outage;
    if (reason != null) {
      return Future.failedFuture(reason);
    }
    return assigned ? Future.succeededFuture()
        : Future.failedFuture("waiting for Kafka to assign partitions of " + Topics.EVENTS);
  }

  private void pollNext() {
    if (stopping) {
      stopped.tryComplete();
      return;
    }
    consumer.poll(POLL).onComplete(polled -> {
      if (polled.failed()) {
        log.warn("polling {} failed: {}", Topics.EVENTS, polled.cause().getMessage());
        pollNext();
        return;
      }
      if (polled.result().isEmpty()) {
        pollNext();
        return;
      }
      PollContext ctx = new PollContext(polled.result());
      handle(ctx).onComplete(ar -> {
        if (ar.failed() && !stopping) {
          readAgain(ctx, ar.cause()).onComplete(v -> pollNext());
        } else {
          pollNext();
        }
      });
    });
  }

  private Future<Void> handle(PollContext ctx) {
    return Future.succeededFuture(ctx)
        .map(this::decode)
        .compose(this::storeAll)
        .compose(this::parkRejected)
        .compose(this::commit);
  }

  private PollContext decode(PollContext ctx) {
    KafkaConsumerRecords<String, Buffer> records = ctx.records;
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> r = records.recordAt(i);
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      ctx.first.putIfAbsent(tp, r.offset());
      ctx.next.put(tp, new OffsetAndMetadata(r.offset() + 1, ""));
      try {
        if (r.value() == null) {
          throw new IllegalArgumentException("no value");
        }
        ctx.decoded.add(new Decoded(r, OutboxEvent.of(KafkaCodecs.DEVICE_EVENT.decode(r.value()))));
      } catch (RuntimeException e) {
        malformed.increment();
        ctx.rejected.add(new Rejected(r, MALFORMED, e, 1));
      }
    }
    events.increment(records.size());
    return ctx;
  }

  /** The poll's rows in one transaction; if that gives up, event by event to find the ones to park. */
  private Future<PollContext> storeAll(PollContext ctx) {
    if (ctx.decoded.isEmpty()) {
      return Future.succeededFuture(ctx);
    }
    return retry.run(() -> writer.insert(pool, ctx.events()), this::retrying)
        .map(inserted -> {
          outage = null;
          ctx.inserted = inserted;
          return ctx;
        })
        .recover(err -> err instanceof GaveUp gaveUp ? storeOneByOne(ctx, gaveUp) : Future.failedFuture(err));
  }

  /**
   * In Kafka order, each event in its own statement. After a permanent error of the poll each event has the bounded
   * attempts; after the poll used them up, one more (an unreachable database is still waited for).
   */
  private Future<PollContext> storeOneByOne(PollContext ctx, GaveUp poll) {
    throttled.warn("storing {} events of a poll of {} gave up ({}); storing them one by one to park the ones that fail",
        ctx.decoded.size(), Topics.EVENTS, poll.getMessage());
    BoundedRetry rule = GaveUp.PERMANENT_ERROR.equals(poll.reason()) ? retry : lastTry;
    Future<Void> chain = Future.succeededFuture();
    for (Decoded d : ctx.decoded) {
      chain = chain.compose(v -> rule.run(() -> writer.insert(pool, List.of(d.event())), this::retrying)
          .<Void>map(inserted -> {
            ctx.inserted += inserted;
            return null;
          })
          .recover(err -> {
            if (!(err instanceof GaveUp gaveUp)) {
              return Future.failedFuture(err);
            }
            ctx.rejected.add(new Rejected(d.record(), gaveUp.reason(), gaveUp.getCause(),
                poll.attempts() + gaveUp.attempts()));
            return Future.succeededFuture();
          }));
    }
    return chain.map(v -> {
      outage = null;
      return ctx;
    });
  }

  /** Each rejected record to {@code gridline.events.parked}, waiting for Kafka if it must: only then is it committed. */
  private Future<PollContext> parkRejected(PollContext ctx) {
    Future<Void> chain = Future.succeededFuture();
    for (Rejected r : ctx.rejected) {
      chain = chain.compose(v -> parkRetry.run(() -> parking.park(r.record(), r.reason(), r.error(), r.attempts()),
          (err, kind, counted, nextInMs) -> {
            outage = "cannot park a rejected event on " + Topics.EVENTS_PARKED + " (" + Failures.describe(err)
                + "); retrying in " + nextInMs + " ms, nothing is committed meanwhile";
            throttled.warn("{}", outage);
          }));
    }
    return chain.map(v -> {
      if (!ctx.rejected.isEmpty()) {
        outage = null;
      }
      return ctx;
    });
  }

  private Future<Void> commit(PollContext ctx) {
    rows.increment(ctx.inserted);
    if (ctx.inserted > 0) {
      onNewRows.run();
    }
    return consumer.commit(ctx.next).<Void>mapEmpty().recover(err -> {
      log.warn("outbox rows stored but committing offsets {} failed ({}); those events will be read again and "
          + "create nothing new", ctx.next, err.getMessage());
      return Future.succeededFuture();
    });
  }

  /** What readiness says while a write is retried, and the log line. */
  private void retrying(Throwable err, Failures.Kind kind, int counted, long nextInMs) {
    String why = Failures.describe(err);
    outage = kind == Failures.Kind.UNAVAILABLE
        ? "cannot write webhook_deliveries: the database is unreachable (" + why + "); waiting for it (next try in "
            + nextInMs + " ms), nothing is committed meanwhile"
        : "cannot write webhook_deliveries: " + why + " (failed attempt " + counted + " of "
            + retry.policy().maxAttempts() + " (webhooks.feed-max-attempts), next in " + nextInMs + " ms; then the "
            + "events that still fail are parked on " + Topics.EVENTS_PARKED + ")";
    throttled.warn("{}", outage);
  }

  /**
   * A poll that failed for another reason than the rules above (a bug): its records are read again rather than
   * skipped, from each partition's first offset of the poll.
   */
  private Future<Void> readAgain(PollContext ctx, Throwable err) {
    log.warn("storing a poll of {} failed ({}); reading it again", Topics.EVENTS,
        UntrustedText.forLog(Failures.describe(err)));
    List<Future<Void>> seeks = new ArrayList<>();
    ctx.first.forEach((tp, offset) -> seeks.add(consumer.seek(tp, offset)));
    return Future.join(seeks).<Void>mapEmpty().otherwise((Void) null);
  }
}
