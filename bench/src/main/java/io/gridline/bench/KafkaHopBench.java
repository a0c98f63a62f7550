package io.gridline.bench;

import io.gridline.devservices.EmbeddedKafka;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.testkit.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One Kafka hop with Gridline's client settings ({@link KafkaClients}), in isolation: a Vert.x producer sends ~250-byte
 * records at a fixed rate over 20 keys, a Vert.x consumer (record handler, as the verticles use it) records
 * now − record timestamp at delivery. Tells how much of the publish → row latency one hop costs by itself.
 *
 * <pre>java -cp … io.gridline.bench.KafkaHopBench 2000 15 6   (msg/s, seconds, partitions)</pre>
 */
public final class KafkaHopBench {
  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    Path tmp = NodeProcess.tempDir("gridline-kafkahop");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("hop", partitions, (short) 1))).all().get();
      }
      GridlineConfig config = GridlineConfig.of(TestConfig.defaults()
          .put("kafka.bootstrap-servers", kafka.bootstrapServers()).put("node.id", "hop"));
      Vertx vertx = Vertx.vertx();
      Map<String, String> producerConfig = overridden(KafkaClients.producerConfig(config, "hop-producer"), "producer.");
      Map<String, String> consumerConfig = overridden(KafkaClients.consumerConfig(config, "hop-consumer"), "consumer.");
      KafkaProducer<String, Buffer> producer = KafkaProducer.create(vertx, producerConfig);
      KafkaConsumer<String, Buffer> consumer = KafkaConsumer.create(vertx, consumerConfig);
      long[] lat = new long[rate * (seconds + 10)];
      int[] n = {0};
      long[] measureFrom = {Long.MAX_VALUE};
      consumer.handler(r -> {
        if (r.timestamp() >= measureFrom[0] && n[0] < lat.length) {
          lat[n[0]++] = (System.currentTimeMillis() - r.timestamp()) * 1_000_000L;
        }
      });
      consumer.subscribe("hop").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Buffer value = Buffer.buffer("{\"tenantId\":\"11111111-2222-3333-4444-555555555555\",\"deviceId\":42,\"mac\":"
          + "\"aa:bb:cc:dd:ee:01\",\"topic\":\"stat/f2-aabbccddee01/sensor-mode/1/sensor-1\",\"clientId\":"
          + "\"f2-aabbccddee01\",\"qos\":1,\"payload\":\"eyJ0aW1lc3RhbXAiOjE3MDAwMDAwMDAwMDAsImRhdGEiOiIwMEQ3MDI0RTAxRjQifQ==\","
          + "\"receivedAt\":\"2026-11-26T10:00:00.000Z\"}");
      long intervalNs = 1_000_000_000L / rate;
      long start = System.nanoTime();
      long warmupNs = TimeUnit.SECONDS.toNanos(5);
      long endNs = start + warmupNs + TimeUnit.SECONDS.toNanos(seconds);
      long next = start;
      long i = 0;
      while (System.nanoTime() < endNs) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
          continue;
        }
        next += intervalNs;
        if (measureFrom[0] == Long.MAX_VALUE && System.nanoTime() - start > warmupNs) {
          long from = System.currentTimeMillis();
          vertx.runOnContext(v -> measureFrom[0] = from);
        }
        long k = i++ % 20;
        vertx.runOnContext(v -> producer.send(KafkaProducerRecord.create("hop", "device-" + k, value)));
      }
      Thread.sleep(2_000);
      CountDownLatch done = new CountDownLatch(1);
      long[][] snapshot = new long[1][];
      int[] count = new int[1];
      vertx.runOnContext(v -> {
        count[0] = n[0];
        snapshot[0] = Stats.sorted(lat, n[0]);
        done.countDown();
      });
      done.await();
      long[] sorted = snapshot[0];
      System.out.printf(Locale.ROOT, "KafkaHopBench: %d msg/s, %d partitions, %d s: delivered %d, produce → consumer"
              + " handler p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", rate, partitions, seconds, count[0],
          Stats.percentile(sorted, count[0], 50), Stats.percentile(sorted, count[0], 99),
          count[0] > 0 ? sorted[count[0] - 1] / 1e6 : Double.NaN);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  /** {@code -Dproducer.linger.ms=20}, {@code -Dconsumer.fetch.max.wait.ms=50}: try a client setting against the defaults. */
  private static Map<String, String> overridden(Map<String, String> config, String prefix) {
    Map<String, String> result = new java.util.HashMap<>(config);
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).forEach(k -> {
      result.put(k.substring(prefix.length()), System.getProperty(k));
      System.out.println("  " + k + "=" + System.getProperty(k));
    });
    return result;
  }
}
