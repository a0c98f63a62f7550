package io.gridline.testkit;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a Kafka topic holds so far, for assertions: a fresh consumer group reads it from the start until its polls come
 * back empty (at most a few seconds). Blocks the test thread, never Vert.x.
 */
public final class TestTopics {
  private static final long MAX_READ_MS = 3_000;

  /** A record as the test sees it: key, raw value and headers (last value per name). */
  public record Record(String key, byte[] value, Map<String, String> headers) {
    public JsonObject json() {
      return new JsonObject(new String(value, StandardCharsets.UTF_8));
    }
  }

  private TestTopics() {}

  public static List<Record> read(String bootstrapServers, String topic) {
    Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<Record> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + MAX_READ_MS;
      int emptyPolls = 0;
      while (System.currentTimeMillis() < deadline && emptyPolls < 3) {
        var polled = c.poll(Duration.ofMillis(500));
        if (polled.isEmpty() && !c.assignment().isEmpty()) {
          emptyPolls++;
        }
        for (ConsumerRecord<String, byte[]> r : polled) {
          Map<String, String> headers = new HashMap<>();
          for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
          }
          out.add(new Record(r.key(), r.value(), headers));
        }
      }
    }
    return out;
  }
}
