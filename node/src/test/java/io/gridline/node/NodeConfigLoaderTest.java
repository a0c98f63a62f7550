package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.runtime.config.DeclaredKeys;
import io.gridline.runtime.config.ValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {
  @TempDir
  Path dir;

  private Path file(String yaml) throws IOException {
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private static JsonObject load(Map<String, String> env, String... args) {
    return NodeConfigLoader.load(CommandLine.parse(args), env).flat();
  }

  @Test
  void eachLayerOverridesTheOneBelowOnTheSameKey() throws IOException {
    String config = file("verticles: from-file\napi:\n  port: 9001\n").toString();
    // defaults
    assertEquals(new JsonArray(), load(Map.of()).getJsonArray("verticles"));
    assertEquals(8080, load(Map.of()).getInteger("api.port"));
    // file > defaults
    assertEquals(new JsonArray().add("from-file"), load(Map.of(), "--config", config).getJsonArray("verticles"));
    assertEquals(9001, load(Map.of(), "--config", config).getInteger("api.port"));
    // env > file
    Map<String, String> env = Map.of("GRIDLINE_VERTICLES", "from-env", "GRIDLINE_API_PORT", "9002");
    assertEquals(new JsonArray().add("from-env"), load(env, "--config", config).getJsonArray("verticles"));
    assertEquals(9002, load(env, "--config", config).getInteger("api.port"));
    // flag > env
    assertEquals(new JsonArray().add("from-flag"),
        load(env, "--config", config, "--verticles", "from-flag").getJsonArray("verticles"));
    // the same for a boolean with its own flag
    String clusterFile = file("cluster:\n  enabled: false\n").toString();
    assertFalse(load(Map.of("GRIDLINE_CLUSTER_ENABLED", "false"), "--config", clusterFile).getBoolean("cluster.enabled"));
    assertTrue(load(Map.of("GRIDLINE_CLUSTER_ENABLED", "false"), "--config", clusterFile, "--cluster")
        .getBoolean("cluster.enabled"));
  }

  @Test
  void environmentNamesMapToDeclaredKeysAndListsSplitOnCommas() {
    JsonObject c = load(Map.of(
        "GRIDLINE_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5702,,",
        "GRIDLINE_SECRETS_GENERATE_ENCRYPTION_KEY", "TRUE",
        "GRIDLINE_API_TLS_CERT_PATH", "/etc/gridline/cert.pem",
        "GRIDLINE_SHUTDOWN_TIMEOUT_MS", "5000",
        "PATH", "/usr/bin"));
    assertEquals(new JsonArray().add("10.0.0.1").add("10.0.0.2:5702"), c.getJsonArray("cluster.members"));
    assertEquals(true, c.getBoolean("secrets.generate-encryption-key"));
    assertEquals("/etc/gridline/cert.pem", c.getString("api.tls.cert-path"));
    assertEquals(5000, c.getInteger("shutdown.timeout-ms"));
  }

  @Test
  void unknownEnvironmentVariableIsOneWarningEach() {
    NodeConfigLoader.Loaded loaded = NodeConfigLoader.load(CommandLine.parse(),
        Map.of("GRIDLINE_API_PROT", "1", "GRIDLINE_NOPE", "x", "GRIDLINE_API_PORT", "8090"));
    assertEquals(2, loaded.warnings().size(), loaded.warnings().toString());
    assertTrue(loaded.warnings().stream().anyMatch(w -> w.contains("GRIDLINE_API_PROT") && w.contains("GRIDLINE_API_PORT")),
        "a near miss suggests the right name: " + loaded.warnings());
    assertTrue(loaded.warnings().stream().anyMatch(w -> w.contains("GRIDLINE_NOPE")));
    assertEquals(8090, loaded.flat().getInteger("api.port"));
  }

  @Test
  void unknownKeyInConfigFileIsAnErrorNamingIt() throws IOException {
    String config = file("api:\n  prot: 8080\n").toString();
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load(Map.of(), "--config", config));
    assertTrue(e.getMessage().contains("api.prot"), e.getMessage());
    assertTrue(e.getMessage().contains("api.port"), "suggests the declared key: " + e.getMessage());
  }

  @Test
  void badValuesNameTheKeyAndItsEnvironmentVariable() throws IOException {
    InvalidConfigException notInt = assertThrows(InvalidConfigException.class,
        () -> load(Map.of("GRIDLINE_API_PORT", "abc")));
    assertTrue(notInt.getMessage().contains("api.port") && notInt.getMessage().contains("GRIDLINE_API_PORT")
        && notInt.getMessage().contains("abc"), notInt.getMessage());

    String config = file("ops:\n  port: 70000\n").toString();
    InvalidConfigException notPort = assertThrows(InvalidConfigException.class, () -> load(Map.of(), "--config", config));
    assertTrue(notPort.getMessage().contains("ops.port") && notPort.getMessage().contains("GRIDLINE_OPS_PORT")
        && notPort.getMessage().contains("70000"), notPort.getMessage());

    InvalidConfigException notBool = assertThrows(InvalidConfigException.class,
        () -> load(Map.of("GRIDLINE_CLUSTER_ENABLED", "yes please")));
    assertTrue(notBool.getMessage().contains("cluster.enabled"), notBool.getMessage());

    assertThrows(InvalidConfigException.class, () -> load(Map.of("GRIDLINE_SHUTDOWN_TIMEOUT_MS", "-1")));
    assertThrows(InvalidConfigException.class, () -> load(Map.of(), "--config", dir.resolve("missing.yaml").toString()));
  }

  @Test
  void anIntegerBeyondTheIntRangeIsRefusedNotWrapped() throws IOException {
    // 2^32 + 6 would become 6 partitions if narrowed to an int
    InvalidConfigException fromEnv = assertThrows(InvalidConfigException.class,
        () -> load(Map.of("GRIDLINE_KAFKA_PARTITIONS", "4294967302")));
    assertEquals("invalid value for kafka.partitions (env GRIDLINE_KAFKA_PARTITIONS): expected an integer from "
        + "-2147483648 to 2147483647, got '4294967302'", fromEnv.getMessage());

    String config = file("shutdown:\n  timeout-ms: 2147483648\n").toString();
    InvalidConfigException fromFile = assertThrows(InvalidConfigException.class, () -> load(Map.of(), "--config", config));
    assertTrue(fromFile.getMessage().startsWith("invalid value for shutdown.timeout-ms in " + config
        + " (env GRIDLINE_SHUTDOWN_TIMEOUT_MS): expected an integer"), fromFile.getMessage());

    assertEquals(Integer.MAX_VALUE, load(Map.of("GRIDLINE_KAFKA_PARTITIONS", "2147483647")).getValue("kafka.partitions"));
  }

  @Test
  void minusOneTurnsOffOnlyAPortWhoseCommentDocumentsIt() throws IOException {
    assertEquals(-1, load(Map.of("GRIDLINE_MQTT_PORT", "-1")).getInteger("mqtt.port"));
    assertEquals(-1, load(Map.of(), "--config", file("mqtt:\n  port: -1\n").toString()).getInteger("mqtt.port"));
    assertTrue(DeclaredKeys.bundled().get("mqtt.port").orElseThrow().mayBeOff());

    for (String env : List.of("GRIDLINE_MQTT_TLS_PORT", "GRIDLINE_API_PORT", "GRIDLINE_OPS_PORT")) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load(Map.of(env, "-1")));
      assertTrue(e.getMessage().contains(env) && e.getMessage().contains("0..65535"), e.getMessage());
    }
    InvalidConfigException minusTwo = assertThrows(InvalidConfigException.class,
        () -> load(Map.of("GRIDLINE_MQTT_PORT", "-2")));
    assertTrue(minusTwo.getMessage().contains("-1 = off"), minusTwo.getMessage());
  }

  @Test
  void fileMayUseDottedKeysAndYamlListsForListKeys() throws IOException {
    String config = file("api.port: 9100\ncluster:\n  members: [a, b]\n").toString();
    JsonObject c = load(Map.of(), "--config", config);
    assertEquals(9100, c.getInteger("api.port"));
    assertEquals(new JsonArray().add("a").add("b"), c.getJsonArray("cluster.members"));
    assertThrows(InvalidConfigException.class, () -> load(Map.of(), "--config", file("api.port: [1, 2]\n").toString()));
  }

  @Test
  void nodeIdDefaultsToHostnameAndOpsPort() {
    assertTrue(load(Map.of("GRIDLINE_OPS_PORT", "9181")).getString("node.id").endsWith("-9181"));
    assertEquals("edge-1", load(Map.of("GRIDLINE_NODE_ID", "edge-1")).getString("node.id"));
  }

  @Test
  void instancesFlagRepeatsAndJoins() {
    JsonObject c = load(Map.of(), "--instances", "api=2", "--instances=other=3");
    assertEquals(new JsonArray().add("api=2").add("other=3"), c.getJsonArray("instances"));
  }

  @Test
  void everyDeclaredKeyHasACommentAndEveryProfileUsesDeclaredKeys() throws IOException {
    DeclaredKeys keys = DeclaredKeys.bundled();
    keys.all().forEach(k -> assertFalse(k.comment().isBlank(), k.name() + " has no comment in config/gridline.yaml"));
    assertEquals(ValueType.LIST, keys.get("verticles").orElseThrow().type());
    assertEquals(ValueType.INT, keys.get("ops.port").orElseThrow().type());
    assertEquals(ValueType.BOOL, keys.get("cluster.enabled").orElseThrow().type());
    for (String profile : List.of("dev.yaml", "api.yaml")) {
      Path p = Path.of("..", "config", profile);
      if (Files.exists(p)) {
        load(Map.of(), "--config", p.toString()); // throws on an undeclared key
      }
    }
  }

  @Test
  void commandLineRejectsUnknownFlagsAndMissingValues() {
    assertThrows(InvalidConfigException.class, () -> CommandLine.parse("--verbose"));
    assertThrows(InvalidConfigException.class, () -> CommandLine.parse("--config"));
    assertThrows(InvalidConfigException.class, () -> CommandLine.parse("stray"));
    assertTrue(CommandLine.parse("--help").help());
  }
}
