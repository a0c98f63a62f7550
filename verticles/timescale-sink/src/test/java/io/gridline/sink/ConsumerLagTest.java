package io.gridline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lag gauge counts records on the assigned partitions that the consumer has not fetched. */
class ConsumerLagTest {
  @Test
  void lagIsEndOffsetMinusPosition() {
    try (SinkFixture f = SinkFixture.sharedDatabase()) {
      for (int i = 0; i < 5; i++) {
        f.send(new DecodedTelemetry("t", 1, i, List.of(new DecodedTelemetry.Value(1, "sensor-1.x", i))));
      }
      f.flush();
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      KafkaConsumer<String, Buffer> consumer = KafkaConsumer.create(f.vertx,
          KafkaClients.consumerConfig(GridlineConfig.of(f.config()), "lag-test"));
      Set<TopicPartition> all = Set.of(new TopicPartition(Topics.TELEMETRY_DECODED, 0),
          new TopicPartition(Topics.TELEMETRY_DECODED, 1), new TopicPartition(Topics.TELEMETRY_DECODED, 2));
      Waits.await(consumer.assign(all));
      consumer.pause();   // assigned, never fetching: every record is lag
      ConsumerLag lag = new ConsumerLag(f.vertx, consumer, meters, "t", 100);
      f.vertx.runOnContext(v -> lag.start());
      Waits.until("lag of 5", 20_000,
          () -> meters.get("gridline.sink.consumer.lag").gauge().value() == 5.0);
      f.vertx.runOnContext(v -> lag.stop());
      Waits.await(consumer.close());
      assertEquals(0, meters.find("gridline.sink.consumer.lag").gauges().size());
    }
  }
}
