package io.gridline.sink;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code gridline_sink_consumer_lag}: records on the assigned partitions this instance has not fetched yet (end offset
 * minus position), refreshed every {@link #PERIOD_MS} ms — one small broker request, cheap enough to always run.
 */
final class ConsumerLag {
  static final long PERIOD_MS = 10_000;
  private final Vertx vertx;
  private final KafkaConsumer<String, Buffer> consumer;
  private final AtomicLong lag = new AtomicLong();
  private final MeterRegistry meters;
  private final Gauge gauge;
  private final long periodMs;
  private long timer = -1;

  ConsumerLag(Vertx vertx, KafkaConsumer<String, Buffer> consumer, MeterRegistry meters, String instance, long periodMs) {
    this.vertx = vertx;
    this.periodMs = periodMs;
    this.consumer = consumer;
    this.meters = meters;
    gauge = Gauge.builder("gridline.sink.consumer.lag", lag, AtomicLong::get)
        .description("records of gridline.telemetry.decoded not yet fetched by this sink instance")
        .tag("instance", instance).register(meters);
  }

  void start() {
    timer = vertx.setPeriodic(periodMs, t -> refresh());
  }

  void stop() {
    vertx.cancelTimer(timer);
    meters.remove(gauge);
  }

  private void refresh() {
    consumer.assignment().compose(this::measure).onSuccess(lag::set);
  }

  private Future<Long> measure(Set<TopicPartition> assigned) {
    if (assigned.isEmpty()) {
      return Future.succeededFuture(0L);
    }
    return consumer.endOffsets(assigned).compose(ends -> {
      List<Future<Long>> perPartition = new ArrayList<>();
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        perPartition.add(consumer.position(end.getKey()).map(pos -> Math.max(0, end.getValue() - pos)));
      }
      return Future.all(perPartition).map(all -> perPartition.stream().mapToLong(Future::result).sum());
    });
  }
}
