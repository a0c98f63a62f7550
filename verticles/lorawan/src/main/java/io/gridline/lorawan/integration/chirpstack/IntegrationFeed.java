package io.gridline.lorawan.integration.chirpstack;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.Topics;
import io.gridline.contracts.lorawan.IntegrationEvent;
import io.gridline.runtime.BoundedRetry;
import io.gridline.runtime.BoundedRetry.GaveUp;
import io.gridline.runtime.Failures;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.Parking;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka {@code gridline.lorawan.integration} (group {@code gridline.lorawan}) → {@link ChirpstackEvents}, one poll at a
 * time, each record in order: {@code decode → apply → commit}. A record that is not an integration event, or whose
 * body does not hold what its type needs, is parked at once ({@code malformed}); one whose writes keep failing is
 * retried under the {@link BoundedRetry} rule ({@code lorawan.integration-max-attempts}; an unreachable store is
 * waited for) and then parked on {@code gridline.lorawan.integration.parked} with the reason — so no record holds the
 * partition for ever and none is lost. Offsets are committed only after every record of the poll was applied or
 * parked; a crash before that replays them, and applying an event twice changes nothing more.
 */
public final class IntegrationFeed {
  static final String MALFORMED = "malformed";
  private static final Logger log = LoggerFactory.getLogger(IntegrationFeed.class);
  private static final LogThrottle throttled = new LogThrottle(log, 20);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 10_000;
  private final KafkaConsumer<String, Buffer> consumer;
  private final ChirpstackEvents events;
  private final Parking parking;
  private final BoundedRetry retry;
  /** parking waits for Kafka: a record is committed past only once it is parked */
  private final BoundedRetry parkRetry;
  private final Promise<Void> stopped = Promise.promise();
  private volatile boolean stopping;
  private boolean polling;

  public IntegrationFeed(Vertx vertx, KafkaConsumer<String, Buffer> consumer, ChirpstackEvents events,
      Parking parking, int maxAttempts) {
    this.consumer = consumer;
    this.events = events;
    this.parking = parking;
    retry = new BoundedRetry(vertx, new BoundedRetry.Policy(maxAttempts, FIRST_BACKOFF_MS, MAX_BACKOFF_MS));
    parkRetry = new BoundedRetry(vertx, new BoundedRetry.Policy(1, FIRST_BACKOFF_MS, MAX_BACKOFF_MS));
  }

  public Future<Void> start() {
    consumer.exceptionHandler(err -> log.warn("Kafka consumer: {}", err.getMessage()));
    return consumer.subscribe(Topics.LORAWAN_INTEGRATION).onSuccess(v -> {
      polling = true;
      pollNext();
    });
  }

  /** Stops after the record in hand; what is not committed is read again by whoever gets the partition. */
  public Future<Void> stop() {
    stopping = true;
    retry.stop();
    parkRetry.stop();
    if (!polling) {
      stopped.tryComplete();
    }
    return stopped.future().eventually(consumer::close);
  }

  private void pollNext() {
    if (stopping) {
      stopped.tryComplete();
      return;
    }
    consumer.poll(POLL).onComplete(polled -> {
      if (polled.failed()) {
        log.warn("polling {} failed: {}", Topics.LORAWAN_INTEGRATION, polled.cause().getMessage());
        pollNext();
      } else if (polled.result().isEmpty()) {
        pollNext();
      } else {
        handle(polled.result()).onComplete(ar -> {
          if (ar.failed() && !stopping) {
            readAgain(polled.result(), ar.cause());
          }
          pollNext();
        });
      }
    });
  }

  private Future<Void> handle(KafkaConsumerRecords<String, Buffer> records) {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> r = records.recordAt(i);
      chain = chain.compose(v -> applyOrPark(r)).onSuccess(v -> next.put(new TopicPartition(r.topic(),
          r.partition()), new OffsetAndMetadata(r.offset() + 1, "")));
    }
    return chain.compose(v -> consumer.commit(next).<Void>mapEmpty().recover(err -> {
      log.warn("integration events applied but committing {} failed ({}); they will be applied again, changing nothing",
          next, err.getMessage());
      return Future.succeededFuture();
    }));
  }

  private Future<Void> applyOrPark(KafkaConsumerRecord<String, Buffer> r) {
    IntegrationEvent event;
    try {
      if (r.value() == null) {
        throw new IllegalArgumentException("no value");
      }
      event = KafkaCodecs.INTEGRATION_EVENT.decode(r.value());
    } catch (RuntimeException e) {
      return park(r, MALFORMED, e, 1);
    }
    try {
      events.check(event);
    } catch (RuntimeException e) {
      return park(r, MALFORMED, e, 1);
    }
    return retry.run(() -> events.apply(event), (err, kind, counted, nextInMs) -> throttled.warn(
            "applying {} event of device {} failed ({}, {} attempt(s)); next try in {} ms", event.event(),
            event.deviceId(), Failures.describe(err), counted, nextInMs))
        .recover(err -> err instanceof GaveUp gaveUp ? park(r, gaveUp.reason(), gaveUp.getCause(), gaveUp.attempts())
            : Future.failedFuture(err));
  }

  private Future<Void> park(KafkaConsumerRecord<String, Buffer> r, String reason, Throwable error, int attempts) {
    return parkRetry.run(() -> parking.park(r, reason, error, attempts), (err, kind, counted, nextInMs) ->
        throttled.warn("cannot park a rejected integration event on {} ({}); retrying in {} ms, nothing is committed "
            + "meanwhile", Topics.LORAWAN_INTEGRATION_PARKED, Failures.describe(err), nextInMs));
  }

  /** A poll that failed otherwise (stopping, a bug): read again from its first offsets rather than skipped. */
  private void readAgain(KafkaConsumerRecords<String, Buffer> records, Throwable cause) {
    log.warn("a poll of {} failed ({}); reading it again", Topics.LORAWAN_INTEGRATION, Failures.describe(cause));
    Map<TopicPartition, Long> first = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> r = records.recordAt(i);
      first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
    }
    first.forEach((tp, offset) -> consumer.seek(tp, offset));
  }
}
