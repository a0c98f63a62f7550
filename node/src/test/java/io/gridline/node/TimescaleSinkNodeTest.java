package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.testkit.TestStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The node deploys timescale-sink with its resolved config: sink.pg-url defaults to pg.url, migrated there. */
class TimescaleSinkNodeTest {

  @Test
  void decodedTelemetryLandsInTheNodesDatabaseAndTheSinkReportsReady() throws Exception {
    Map<String, String> env = TestNodes.env();
    env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", TestStores.kafkaBootstrap());
    Node node = TestNodes.start(env, "--verticles", "timescale-sink");
    try {
      var ready = TestNodes.await(node.opsPort(), "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(30));
      Map<String, String> checks = NodeLifecycleTest.checks(TestNodes.json(ready));
      assertTrue(checks.entrySet().stream().anyMatch(e -> e.getKey().startsWith("verticle.timescale-sink.batches")
          && e.getValue().equals("UP")), checks.toString());

      Properties p = new Properties();
      p.put("bootstrap.servers", TestStores.kafkaBootstrap());
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        DecodedTelemetry t = new DecodedTelemetry("t", 4242, 1_793_000_000_000L,
            List.of(new DecodedTelemetry.Value(1, "sensor-1.temperature", 21.5)));
        producer.send(new ProducerRecord<>(Topics.TELEMETRY_DECODED, "4242",
            KafkaCodecs.DECODED_TELEMETRY.encode(t).getBytes())).get();
      }
      String jdbc = TestStores.pgJdbcUrl(env.get("GRIDLINE_PG_URL"));
      long deadline = System.currentTimeMillis() + 20_000;
      double value = Double.NaN;
      while (Double.isNaN(value) && System.currentTimeMillis() < deadline) {
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT value FROM decoded_data WHERE device_id = 4242")) {
          if (rs.next()) {
            value = rs.getDouble(1);
          }
        }
        Thread.sleep(100);
      }
      assertEquals(21.5, value);
    } finally {
      TestNodes.stop(node);
    }
  }
}
