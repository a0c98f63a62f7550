package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Exit codes and messages of {@code java -jar gridline-node.jar}, run in-process through {@link Main#run}. */
class MainTest {

  private record Outcome(int code, String out, String err) {}

  private static Outcome run(Map<String, String> env, String... args) {
    return run(env, node -> Future.succeededFuture(), args);
  }

  private static Outcome run(Map<String, String> env, java.util.function.Function<Node, Future<?>> stopWhen,
      String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> Main.run(args, env,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        stopWhen));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpExitsZero() {
    Outcome o = run(Map.of(), "--help");
    assertEquals(Main.EXIT_OK, o.code());
    assertTrue(o.out().contains("--verticles"), o.out());
  }

  @Test
  void unknownFlagExitsWithUsage() {
    Outcome o = run(Map.of(), "--verticle", "api");
    assertEquals(Main.EXIT_CONFIG, o.code());
    assertTrue(o.err().contains("--verticle") && o.err().contains("usage"), o.err());
  }

  @Test
  void unknownVerticleExitsNonZeroListingTheKnownOnes() {
    Outcome o = run(TestNodes.env(), "--verticles", "api,mqtt-bridgee");
    assertEquals(Main.EXIT_CONFIG, o.code());
    assertTrue(o.err().contains("mqtt-bridgee") && o.err().contains("known verticles: "), o.err());
    assertTrue(o.err().matches("(?s).*known verticles: .*\\bapi\\b.*") && o.err().contains("mqtt-bridge,"), o.err());
  }

  @Test
  void badValuesExitNonZeroNamingTheKey() {
    Map<String, String> env = TestNodes.env();
    env.put("GRIDLINE_API_PORT", "abc");
    Outcome notInt = run(env);
    assertEquals(Main.EXIT_CONFIG, notInt.code());
    assertTrue(notInt.err().contains("api.port") && notInt.err().contains("GRIDLINE_API_PORT"), notInt.err());

    env.put("GRIDLINE_API_PORT", "8080");
    env.put("GRIDLINE_OPS_PORT", "70000");
    Outcome notPort = run(env);
    assertEquals(Main.EXIT_CONFIG, notPort.code());
    assertTrue(notPort.err().contains("ops.port") && notPort.err().contains("70000"), notPort.err());
  }

  @Test
  void missingEncryptionKeyOutsideTheDevProfileExitsNamingIt() {
    Map<String, String> env = TestNodes.env();
    env.remove("GRIDLINE_SECRETS_ENCRYPTION_KEY");
    Outcome o = run(env);
    assertEquals(Main.EXIT_CONFIG, o.code());
    assertTrue(o.err().contains("secrets.encryption-key") && o.err().contains("GRIDLINE_SECRETS_ENCRYPTION_KEY"), o.err());

    env.put("GRIDLINE_SECRETS_ENCRYPTION_KEY", "not-a-key");
    Outcome bad = run(env);
    assertEquals(Main.EXIT_CONFIG, bad.code());
    assertTrue(bad.err().contains("secrets.encryption-key"), bad.err());
  }

  @Test
  void clusteredNodeWithoutStoreUrlExitsNamingTheKey() {
    Map<String, String> env = TestNodes.env();
    env.remove("GRIDLINE_PG_URL");
    // only the api: with the Kafka verticles deployed too, the message names kafka.bootstrap-servers first
    Outcome o = run(env, "--cluster", "--verticles", "api");
    assertEquals(Main.EXIT_CONFIG, o.code());
    assertTrue(o.err().contains("pg.url") && o.err().contains("GRIDLINE_PG_URL")
        && o.err().contains("devservices.enabled"), o.err());
  }

  @Test
  void takenOpsPortExitsNamingTheKeyAndItsEnvironmentVariable() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      Map<String, String> env = TestNodes.env();
      env.put("GRIDLINE_OPS_HOST", "0.0.0.0");
      env.put("GRIDLINE_OPS_PORT", Integer.toString(taken.getLocalPort()));
      Outcome o = run(env);
      assertEquals(Main.EXIT_FAILED, o.code());
      assertTrue(o.err().contains("ops.port") && o.err().contains("GRIDLINE_OPS_PORT")
          && o.err().contains(Integer.toString(taken.getLocalPort())), o.err());
    }
  }

  @Test
  void takenApiPortExitsNamingTheKeyAndItsEnvironmentVariable() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      Map<String, String> env = TestNodes.env();
      env.put("GRIDLINE_API_HOST", "0.0.0.0");
      env.put("GRIDLINE_API_PORT", Integer.toString(taken.getLocalPort()));
      Outcome o = run(env, "--verticles", "api");
      assertEquals(Main.EXIT_FAILED, o.code(), o.err());
      assertTrue(o.err().contains("api.port") && o.err().contains("GRIDLINE_API_PORT"), o.err());
    }
  }

  @Test
  void startsThenStopsGracefullyWithExitZero() {
    AtomicReference<Node> seen = new AtomicReference<>();
    Outcome o = run(TestNodes.env(), node -> {
      seen.set(node);
      assertEquals(200, TestNodes.get(node.opsPort(), "/health/ready").statusCode());
      return Future.succeededFuture();
    }, "--verticles", "api");
    assertEquals(Main.EXIT_OK, o.code(), o.err());
    assertTrue(o.err().isEmpty(), o.err());
    assertEquals(java.util.List.of("api"), seen.get().verticles());
  }
}
