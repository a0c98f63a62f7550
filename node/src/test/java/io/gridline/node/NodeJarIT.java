package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.devservices.FreePorts;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as a user runs it: {@code java -jar node/target/gridline-node.jar --config config/dev.yaml}
 * with no JVM flags, embedded stores, generated keys, the demo tenant; then SIGTERM and exit code 0.
 */
class NodeJarIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static Process launch(Path dataDir, int apiPort, int opsPort, Path log, String... args) throws IOException {
    return launch(dataDir, apiPort, opsPort, FreePorts.find(), log, args);
  }

  private static Process launch(Path dataDir, int apiPort, int opsPort, int mqttPort, Path log, String... args)
      throws IOException {
    String jar = System.getProperty("gridline.node.jar", ROOT.resolve("node/target/gridline-node.jar").toString());
    List<String> cmd = new java.util.ArrayList<>(List.of("java", "-jar", jar));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("GRIDLINE_"));
    pb.environment().putAll(Map.of(
        "GRIDLINE_DEVSERVICES_DATA_DIR", dataDir.toString(),
        "GRIDLINE_API_PORT", Integer.toString(apiPort),
        "GRIDLINE_OPS_PORT", Integer.toString(opsPort),
        // the dev profile's MQTT ports may be held by a developer's running node
        "GRIDLINE_MQTT_PORT", Integer.toString(mqttPort),
        "GRIDLINE_MQTT_TLS_PORT", Integer.toString(FreePorts.find()),
        "GRIDLINE_LORAWAN_UDP_PORT", "0"));
    return pb.start();
  }

  private static HttpResponse<String> get(int port, String path, String bearer) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5));
    if (bearer != null) {
      req.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitReady(Process p, int opsPort, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertTrue(p.isAlive(), () -> "node exited early:\n" + read(log));
      try {
        if (get(opsPort, "/health/ready", null).statusCode() == 200) {
          return;
        }
      } catch (IOException notListening) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not ready in 120 s:\n" + read(log));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void publishDemoReading(int mqttPort) throws Exception {
    var client = new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + mqttPort, "f2-aabbccddee01",
        new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    var options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
    options.setCleanSession(true);
    client.connect(options); // the dev profile accepts registered devices without a secret
    try {
      String payload = new JsonObject().put("timestamp", java.time.Instant.now().toString()).put("data", "00D7024E01F4")
          .encode();
      client.publish("stat/f2-aabbccddee01/sensor-mode/1/sensor-1", payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          1, false); // returns once PUBACK came, i.e. once Kafka holds the record
    } finally {
      client.disconnect();
      client.close();
    }
  }

  private static JsonObject awaitLatest(int apiPort, long deviceId, String key, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get(apiPort, "/api/v1/devices/" + deviceId + "/telemetry/latest", key);
      if (r.statusCode() == 200) {
        last = new JsonObject(r.body());
        if (last.getJsonArray("values").size() >= 3) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no decoded telemetry within 60 s; last " + last + "; log:\n" + read(log));
  }

  private static int stop(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("node did not stop within 60 s of SIGTERM");
    }
    return p.exitValue();
  }

  @Test
  void devProfileRunsEverythingWithEmbeddedStoresAndStopsCleanlyOnSigterm(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    int api = FreePorts.find();
    int ops = FreePorts.find();
    int mqtt = FreePorts.find();
    Path log = tmp.resolve("node.log");
    Process node = launch(data, api, ops, mqtt, log, "--config", "config/dev.yaml");
    try {
      awaitReady(node, ops, log);
      String adminKey = Files.readString(data.resolve("admin-key")).trim();
      String demoKey = Files.readString(data.resolve("demo-api-key")).trim();
      String out = read(log);
      assertTrue(out.contains(adminKey), "admin key printed once at first start");
      assertTrue(out.contains(demoKey), "demo key printed once at first start");

      JsonObject devices = new JsonObject(get(api, "/api/v1/devices", demoKey).body());
      assertEquals(4, devices.getInteger("total"), devices.encode());
      assertEquals(200, get(api, "/api/v1/tenants", adminKey).statusCode());
      JsonObject cluster = new JsonObject(get(ops, "/cluster", null).body());
      assertEquals(new java.util.TreeSet<>(Verticles.names()), new java.util.TreeSet<Object>(
          cluster.getJsonArray("members").getJsonObject(0).getJsonArray("verticles").getList()));
      assertTrue(get(ops, "/metrics", null).body().contains("gridline_api_requests_total"));

      // The README's walkthrough: the demo controller publishes, the decoded values come back from the API.
      long deviceId = devices.getJsonArray("items").stream().map(JsonObject.class::cast)
          .filter(d -> d.getString("externalId").equals("aa:bb:cc:dd:ee:01")).findFirst().orElseThrow().getLong("id");
      publishDemoReading(mqtt);
      JsonObject latest = awaitLatest(api, deviceId, demoKey, log);
      var values = latest.getJsonArray("values").stream().map(JsonObject.class::cast)
          .collect(java.util.stream.Collectors.toMap(v -> v.getString("label"), v -> v.getDouble("v")));
      assertEquals(21.5, values.get("sensor-1.temperature"), latest.encode());
      assertEquals(59.0, values.get("sensor-1.humidity"), latest.encode());
      assertEquals(500.0, values.get("sensor-1.co2"), latest.encode());
    } finally {
      assertEquals(0, stop(node), () -> "exit code after SIGTERM; log:\n" + read(log));
    }
    assertFalse(Files.exists(data.resolve("postgres/pgdata/postmaster.pid")), "embedded PostgreSQL stopped with the node");

    // A restart on the same data dir keeps the tenant and keys and does not print the keys again.
    Path log2 = tmp.resolve("node2.log");
    Process again = launch(data, api, ops, log2, "--config", "config/dev.yaml");
    try {
      awaitReady(again, ops, log2);
      String demoKey = Files.readString(data.resolve("demo-api-key")).trim();
      assertEquals(4, new JsonObject(get(api, "/api/v1/devices", demoKey).body()).getInteger("total"));
      assertFalse(read(log2).contains(demoKey), "a key is shown once");
    } finally {
      assertEquals(0, stop(again), () -> "exit code after SIGTERM; log:\n" + read(log2));
    }
  }

  @Test
  void takenPortExitsNonZeroNamingTheKeyAndItsVariable(@TempDir Path tmp) throws Exception {
    try (var taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("0.0.0.0"))) {
      Path log = tmp.resolve("node.log");
      Process node = launch(tmp.resolve("data"), taken.getLocalPort(), FreePorts.find(), log, "--config", "config/dev.yaml");
      assertTrue(node.waitFor(120, TimeUnit.SECONDS), "node gave up on a taken port");
      assertTrue(node.exitValue() != 0);
      String out = read(log);
      assertTrue(out.contains("api.port") && out.contains("GRIDLINE_API_PORT"), out);
    }
  }
}
