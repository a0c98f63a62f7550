package io.gridline.webhooks;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.Topics;
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
 * Kafka {@code gridline.events} → outbox, one poll at a time: decode the records, insert their delivery rows in one
 * transaction, and only then commit the poll's offsets and poll again — so per partition the outbox follows Kafka's
 * order, and a crash before the commit only replays records whose rows already exist (ON CONFLICT DO NOTHING). A
 * database outage retries the same poll with backoff instead of moving on. A malformed record is counted, logged and
 * committed past.
 */
final class EventFeed {
  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long MAX_RETRY_MS = 10_000;
  private final Vertx vertx;
  private final KafkaConsumer<String, Buffer> consumer;
  private final Pool pool;
  private final OutboxWriter writer;
  private final Runnable onNewRows;
  private final Counter malformed;
  private final Counter events;
  private final Counter rows;
  private volatile boolean assigned;
  private volatile String outage;
  private boolean stopping;
  private boolean polling;
  private final Promise<Void> stopped = Promise.promise();

  EventFeed(Vertx vertx, KafkaConsumer<String, Buffer> consumer, Pool pool, OutboxWriter writer, Runnable onNewRows,
      MeterRegistry meters) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.pool = pool;
    this.writer = writer;
    this.onNewRows = onNewRows;
    malformed = Counter.builder("gridline.webhooks.events.malformed")
        .description("gridline.events records skipped because they are not a valid device event").register(meters);
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

  /** Stops polling after the poll in hand is stored and committed (or given up on, when the database is down). */
  Future<Void> stop() {
    stopping = true;
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
    consumer.poll(POLL)
        .compose(records -> store(records, 0))
        .onComplete(ar -> {
          if (ar.failed()) {
            log.warn("polling gridline.events failed: {}", ar.cause().getMessage());
          }
          pollNext();
        });
  }

  private Future<Void> store(KafkaConsumerRecords<String, Buffer> records, int failures) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    List<OutboxEvent> batch = new ArrayList<>(records.size());
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> r = records.recordAt(i);
      next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1, ""));
      OutboxEvent e = read(r);
      if (e != null) {
        batch.add(e);
      }
    }
    events.increment(records.size());
    return insertRetrying(batch, failures).compose(inserted -> {
      rows.increment(inserted);
      if (inserted > 0) {
        onNewRows.run();
      }
      return consumer.commit(next).<Void>mapEmpty().recover(err -> {
        log.warn("outbox rows stored but committing offsets {} failed ({}); those events will be read again and "
            + "create nothing new", next, err.getMessage());
        return Future.succeededFuture();
      });
    });
  }

  private Future<Integer> insertRetrying(List<OutboxEvent> batch, int failures) {
    return writer.insert(pool, batch)
        .onSuccess(n -> outage = null)
        .recover(err -> {
          outage = "cannot write webhook_deliveries: " + err.getMessage();
          if (stopping) {
            log.warn("{}; stopping without committing: the events will be read again", outage);
            return Future.failedFuture(err);
          }
          long delay = Math.min(MAX_RETRY_MS, 100L << Math.min(failures, 10));
          log.warn("{}; retrying in {} ms", outage, delay);
          Promise<Integer> retried = Promise.promise();
          vertx.setTimer(delay, t -> insertRetrying(batch, failures + 1).onComplete(retried));
          return retried.future();
        });
  }

  private OutboxEvent read(KafkaConsumerRecord<String, Buffer> r) {
    try {
      if (r.value() == null) {
        throw new IllegalArgumentException("no value");
      }
      return OutboxEvent.of(KafkaCodecs.DEVICE_EVENT.decode(r.value()));
    } catch (RuntimeException e) {
      malformed.increment();
      log.warn("skipping malformed event {}-{}@{} (key {}): {}", r.topic(), r.partition(), r.offset(), r.key(),
          e.getMessage());
      return null;
    }
  }
}
