package io.gridline.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  static final String TOPIC = "gridline.test.devservices";

  @TempDir
  Path dir;

  @Test
  void produceConsumeAndRestartKeepsClusterIdAndRecords() throws Exception {
    long t0 = System.nanoTime();
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
    System.out.printf("embedded Kafka started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    String clusterId = kafka.clusterId();
    int port = kafka.port();
    try {
      assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
      assertTrue(Files.isRegularFile(dir.resolve("meta.properties")));
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        assertEquals(clusterId, admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS));
        admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get(10, TimeUnit.SECONDS);
        TopicDescription d = admin.describeTopics(Set.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(TOPIC);
        assertEquals(6, d.partitions().size());
      }
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
        RecordMetadata md = producer.send(new ProducerRecord<>(TOPIC, "aa:bb:cc:dd:ee:ff", "{\"v\":1}")).get(10, TimeUnit.SECONDS);
        assertTrue(md.offset() >= 0);
      }
      List<ConsumerRecord<String, String>> got = consume(kafka, "gridline.test-1", 1);
      assertEquals("aa:bb:cc:dd:ee:ff", got.get(0).key());
      assertEquals("{\"v\":1}", got.get(0).value());
      IllegalStateException busy = assertThrows(IllegalStateException.class, () -> EmbeddedKafka.start(dir, 0));
      assertTrue(busy.getMessage().contains("used by another running broker"), busy.getMessage());
    } finally {
      t0 = System.nanoTime();
      kafka.close();
      System.out.printf("embedded Kafka stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
    kafka.close(); // idempotent
    assertFalse(FreePorts.listening(port, 200));

    t0 = System.nanoTime();
    EmbeddedKafka again = EmbeddedKafka.start(dir, port);
    System.out.printf("embedded Kafka restarted in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    try {
      assertEquals(clusterId, again.clusterId());
      assertEquals(port, again.port());
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers()))) {
        assertEquals(clusterId, admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS));
      }
      List<ConsumerRecord<String, String>> got = consume(again, "gridline.test-2", 1);
      assertEquals("{\"v\":1}", got.get(0).value());
    } finally {
      again.close();
    }
  }

  static Properties producerProps(EmbeddedKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return p;
  }

  static List<ConsumerRecord<String, String>> consume(EmbeddedKafka kafka, String group, int count) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (out.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    assertEquals(count, out.size(), "records consumed");
    return out;
  }
}
