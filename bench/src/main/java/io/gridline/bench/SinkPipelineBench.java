package io.gridline.bench;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.runtime.PgUrl;
import io.gridline.sink.TimescaleSinkVerticle;
import io.gridline.sql.Migrations;
import io.gridline.testkit.TestConfig;
import io.gridline.testkit.TestStores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The timescale-sink verticle draining a backlog: {@code readings} decoded records (3 values each) are produced to an
 * embedded broker first, then the sink is deployed and timed until every row is in {@code decoded_data}. Broker, sink
 * and PostgreSQL share the machine; the producer is not timed. Each run writes a fresh database and continues the
 * consumer group where the previous run committed, so it reads only its own backlog.
 *
 * <pre>java -cp … io.gridline.bench.SinkPipelineBench 100000 3 5000 2   (readings, runs, batch size, batches in flight)</pre>
 */
public final class SinkPipelineBench {
  public static void main(String[] args) throws Exception {
    int readings = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    String kafka = TestStores.kafkaBootstrap();
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("linger.ms", "10");
    p.put("batch.size", "262144");
    p.put("compression.type", "lz4");
    List<Double> rates = new ArrayList<>();
    try (Admin admin = Admin.create(p);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      admin.createTopics(List.of(new NewTopic(Topics.TELEMETRY_DECODED, 6, (short) 1))).all().get(20, TimeUnit.SECONDS);
      Vertx vertx = Vertx.vertx();
      for (int run = 1; run <= runs; run++) {
        String url = TestStores.pgUrl();
        PgUrl pg = PgUrl.parse(url);
        Migrations.migrateTimeseries(pg.jdbcUrl(), pg.user(), pg.password());
        long t0ms = 1_793_000_000_000L + run * 1_000_000_000L;
        for (int i = 0; i < readings; i++) {
          long device = 1 + i % 100;
          DecodedTelemetry t = new DecodedTelemetry("bench", device, t0ms + i, List.of(
              new DecodedTelemetry.Value(1, "sensor-1.temperature", (i % 400) / 10.0),
              new DecodedTelemetry.Value(2, "sensor-1.humidity", (i % 1000) / 10.0),
              new DecodedTelemetry.Value(3, "sensor-1.co2", 400 + i % 600)));
          producer.send(new ProducerRecord<>(Topics.TELEMETRY_DECODED, Long.toString(device),
              KafkaCodecs.DECODED_TELEMETRY.encode(t).getBytes()));
        }
        producer.flush();
        JsonObject config = TestConfig.defaults().put("node.id", "bench").put("kafka.bootstrap-servers", kafka)
            .put("pg.url", url).put("sink.pg-url", url).put("pg.pool-size", 4).put("sink.batch-size", batch)
            .put("sink.linger-ms", 50).put("sink.max-batches-in-flight", inFlight);
        long t0 = System.nanoTime();
        String id = vertx.deployVerticle(new TimescaleSinkVerticle(), new DeploymentOptions().setConfig(config))
            .await(60, TimeUnit.SECONDS);
        long expected = readings * 3L;
        String jdbc = TestStores.pgJdbcUrl(url);
        double firstRow = -1;
        long n;
        while ((n = count(jdbc)) < expected) {
          if (n > 0 && firstRow < 0) {
            firstRow = (System.nanoTime() - t0) / 1e9;
          }
          Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        vertx.undeploy(id).await(60, TimeUnit.SECONDS);
        rates.add(expected / seconds);
        System.out.printf("run %d  %,d rows in %.2f s  %,.0f rows/s (first row after %.2f s: deploy, group join, "
            + "first fetch)%n", run, expected, seconds, expected / seconds, firstRow);
      }
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    System.out.printf("%nsink from Kafka backlog, batches of %d, median of %d: %,.0f rows/s%n", batch, runs,
        Stats.median(rates));
    System.exit(0);
  }

  private static long count(String jdbc) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM decoded_data")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
