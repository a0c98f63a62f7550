package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.devservices.FreePorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One node at a time, as an operator runs it: its ops endpoints, a restart on the same ports, the zero-install run. */
class NodeLifecycleTest {

  @Test
  void servesHealthMetricsAndClusterEndpoints() {
    Node node = TestNodes.start(TestNodes.env(), "--verticles", "api", "--instances", "api=2");
    try {
      int ops = node.opsPort();
      HttpResponse<String> live = TestNodes.get(ops, "/health/live");
      assertEquals(200, live.statusCode());
      assertEquals("UP", TestNodes.json(live).getString("status"));

      HttpResponse<String> ready = TestNodes.get(ops, "/health/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      Map<String, String> checks = checks(TestNodes.json(ready));
      for (String check : List.of("node", "verticle.api", "store.postgres")) {
        assertEquals("UP", checks.get(check), check + " in " + checks);
      }

      String metrics = TestNodes.get(ops, "/metrics").body();
      assertTrue(metrics.contains("\njvm_memory_used_bytes"), "JVM meters");
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("vertx_")), "Vert.x meters");
      assertTrue(metrics.contains("gridline_node_verticles{verticle=\"api\"} 2.0"), "gridline meters");
      assertTrue(metrics.contains("\ngridline_node_start_seconds "), "start time");

      JsonObject cluster = TestNodes.json(TestNodes.get(ops, "/cluster"));
      JsonObject self = cluster.getJsonArray("members").getJsonObject(0);
      assertEquals(1, cluster.getJsonArray("members").size());
      assertEquals(node.nodeId(), self.getString("nodeId"));
      assertEquals("127.0.0.1:" + ops, self.getString("address"));
      assertEquals(new JsonArray().add("api"), self.getJsonArray("verticles"));
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void stopThenStartOnTheSamePortsSucceeds() {
    Map<String, String> env = TestNodes.env();
    int opsPort = FreePorts.find();
    env.put("GRIDLINE_OPS_PORT", Integer.toString(opsPort));
    for (int round = 0; round < 2; round++) {
      Node node = TestNodes.start(env, "--verticles", "api");
      try {
        assertEquals(opsPort, node.opsPort());
        assertEquals(200, TestNodes.get(opsPort, "/health/ready").statusCode());
      } finally {
        TestNodes.stop(node);
      }
    }
  }

  @Test
  void zeroInstallRunStartsEmbeddedPostgresAndKeepsGeneratedKeys() throws IOException {
    Map<String, String> env = TestNodes.env();
    env.remove("GRIDLINE_PG_URL");
    env.remove("GRIDLINE_REDIS_URL");
    env.remove("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS");
    env.remove("GRIDLINE_SECRETS_ENCRYPTION_KEY");
    env.remove("GRIDLINE_API_ADMIN_KEY");
    env.put("GRIDLINE_SECRETS_GENERATE_ENCRYPTION_KEY", "true");
    Path dataDir = Path.of(env.get("GRIDLINE_DEVSERVICES_DATA_DIR"));

    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Node first = TestNodes.start(new NodeOptions().setEnv(env).setConsole(new PrintStream(console, true)));
    String pgUrl;
    String adminKey;
    String encryptionKey;
    try {
      pgUrl = first.config().string("pg.url");
      adminKey = first.config().string("api.admin-key");
      encryptionKey = first.config().string("secrets.encryption-key");
      assertTrue(pgUrl.startsWith("postgresql://") && pgUrl.contains("127.0.0.1"), pgUrl);
      assertTrue(console.toString(StandardCharsets.UTF_8).contains("Admin API key: " + adminKey + " (saved in "),
          console.toString(StandardCharsets.UTF_8));
      // Kafka consumers are ready once their partitions are assigned, shortly after the start returns
      assertEquals(200, TestNodes.await(first.opsPort(), "/health/ready", r -> r.statusCode() == 200,
          java.time.Duration.ofSeconds(60)).statusCode());
      for (String file : List.of("admin-key", "encryption-key")) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(file))));
      }
    } finally {
      TestNodes.stop(first);
    }

    console.reset();
    Node second = TestNodes.start(new NodeOptions().setEnv(env).setConsole(new PrintStream(console, true)));
    try {
      assertEquals(adminKey, second.config().string("api.admin-key"));
      assertEquals(encryptionKey, second.config().string("secrets.encryption-key"));
      String shown = console.toString(StandardCharsets.UTF_8);
      assertTrue(shown.contains("Admin API key: saved in ") && !shown.contains(adminKey), shown);
      assertEquals(200, TestNodes.await(second.opsPort(), "/health/ready", r -> r.statusCode() == 200,
          java.time.Duration.ofSeconds(60)).statusCode());
      assertNotEquals("", second.config().string("pg.url"));
    } finally {
      TestNodes.stop(second);
    }
  }

  static Map<String, String> checks(JsonObject health) {
    return health.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(c -> c.getString("id"), c -> c.getString("status")));
  }
}
