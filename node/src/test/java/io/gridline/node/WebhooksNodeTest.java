package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.Topics;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.runtime.SecretBox;
import io.gridline.testkit.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The node deploys webhooks with its resolved config (encryption key, webhooks.* from the environment). */
class WebhooksNodeTest {

  @Test
  void anEventReachesASubscribedReceiverAndTheVerticleReportsReady() throws Exception {
    Map<String, String> env = TestNodes.env();
    env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", TestStores.kafkaBootstrap());
    env.put("GRIDLINE_WEBHOOKS_ALLOW_HTTP", "true");
    env.put("GRIDLINE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
    Vertx receiverVertx = Vertx.vertx();
    AtomicReference<String> got = new AtomicReference<>();
    HttpServer receiver = receiverVertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          got.set(req.getHeader("X-Gridline-Delivery"));
          req.response().end();
        }))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    Node node = TestNodes.start(env, "--verticles", "webhooks");
    try {
      var ready = TestNodes.await(node.opsPort(), "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(30));
      Map<String, String> checks = NodeLifecycleTest.checks(TestNodes.json(ready));
      assertTrue(checks.entrySet().stream().anyMatch(e -> e.getKey().startsWith("verticle.webhooks.events")
          && e.getValue().equals("UP")), checks.toString());

      String jdbc = TestStores.pgJdbcUrl(env.get("GRIDLINE_PG_URL"));
      UUID tenant = UUID.randomUUID();
      UUID sub = UUID.randomUUID();
      SecretBox box = SecretBox.fromBase64(env.get("GRIDLINE_SECRETS_ENCRYPTION_KEY"));
      try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
          PreparedStatement ins = c.prepareStatement("INSERT INTO webhook_subscriptions (id, tenant_id, url, "
              + "event_types, secret) VALUES (?, ?, ?, ARRAY['device.*'], ?)")) {
        st.execute("INSERT INTO tenants (id, name, max_devices) VALUES ('" + tenant + "', 'w', 10)");
        ins.setObject(1, sub);
        ins.setObject(2, tenant);
        ins.setString(3, "http://127.0.0.1:" + receiver.actualPort() + "/in");
        ins.setBytes(4, box.seal("s".getBytes(StandardCharsets.UTF_8), sub.toString().getBytes(StandardCharsets.UTF_8)));
        ins.executeUpdate();
      }
      DeviceEvent e = new DeviceEvent(UUID.randomUUID().toString(), "device.online", tenant.toString(), 5, "mqtt",
          System.currentTimeMillis(), new JsonObject());
      Properties p = new Properties();
      p.put("bootstrap.servers", TestStores.kafkaBootstrap());
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(Topics.EVENTS, "5", KafkaCodecs.DEVICE_EVENT.encode(e).getBytes())).get();
      }
      long deadline = System.currentTimeMillis() + 20_000;
      String status = null;
      while (!"succeeded".equals(status) && System.currentTimeMillis() < deadline) {
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT status FROM webhook_deliveries WHERE subscription_id = '" + sub + "'")) {
          status = rs.next() ? rs.getString(1) : null;
        }
        Thread.sleep(100);
      }
      assertEquals("succeeded", status);
      assertEquals(e.eventId(), got.get());
    } finally {
      TestNodes.stop(node);
      receiverVertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
