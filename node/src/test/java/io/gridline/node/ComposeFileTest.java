package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gridline.runtime.EnvNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** No Docker engine runs on the build machine: the compose file and Dockerfile are checked by parsing. */
class ComposeFileTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static Set<String> declaredEnvNames() throws Exception {
    Set<String> names = new HashSet<>();
    collectKeys("", YAML.readTree(ROOT.resolve("config/gridline.yaml").toFile()), names);
    Set<String> env = new HashSet<>();
    names.forEach(k -> env.add(EnvNames.forKey(k)));
    return env;
  }

  private static void collectKeys(String prefix, JsonNode node, Set<String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        collectKeys(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else {
      out.add(prefix);
    }
  }

  /** YAML merge keys ({@code <<: *anchor}) are resolved by Compose; Jackson leaves them as plain keys. */
  private static ObjectNode merged(JsonNode node) {
    ObjectNode out = YAML.createObjectNode();
    JsonNode base = node.get("<<");
    if (base != null) {
      if (base.isArray()) {
        base.forEach(b -> out.setAll(merged(b)));
      } else {
        out.setAll(merged(base));
      }
    }
    node.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("<<")) {
        out.set(e.getKey(), e.getValue().isObject() ? merged(e.getValue()) : e.getValue());
      }
    });
    return out;
  }

  @Test
  void everyGridlineEnvKeyIsADeclaredConfigKey() throws Exception {
    Set<String> declared = declaredEnvNames();
    // SnakeYAML resolves anchors and merge keys; Jackson's YAML reader leaves an alias as its name
    JsonNode compose = YAML.valueToTree(new org.yaml.snakeyaml.Yaml()
        .load(Files.readString(ROOT.resolve("docker/docker-compose.yml"))));
    JsonNode services = compose.get("services");
    List<String> gridlineServices = new ArrayList<>();
    services.fields().forEachRemaining(e -> {
      ObjectNode service = merged(e.getValue());
      JsonNode env = service.get("environment");
      if (env == null) {
        return;
      }
      env.fieldNames().forEachRemaining(name -> {
        if (name.startsWith(EnvNames.PREFIX)) {
          assertTrue(declared.contains(name), e.getKey() + ": " + name + " is not a declared config key");
        }
      });
      if (env.has("GRIDLINE_VERTICLES")) {
        gridlineServices.add(e.getKey());
        assertEquals("true", env.get("GRIDLINE_CLUSTER_ENABLED").asText(), e.getKey() + " must join the cluster");
        for (String v : env.get("GRIDLINE_VERTICLES").asText().split(",")) {
          assertTrue(Verticles.names().contains(v.trim()), e.getKey() + ": unknown verticle " + v);
        }
        // Hazelcast authenticates no member: it binds one private address, and the event bus runs TLS
        String host = env.has("GRIDLINE_CLUSTER_HOST") ? env.get("GRIDLINE_CLUSTER_HOST").asText() : "";
        assertTrue(!host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::"),
            e.getKey() + " binds the cluster to a private address, not '" + host + "'");
        for (String tls : List.of("GRIDLINE_CLUSTER_TLS_CERT_PATH", "GRIDLINE_CLUSTER_TLS_KEY_PATH",
            "GRIDLINE_CLUSTER_TLS_TRUST_PATH")) {
          assertTrue(env.has(tls), e.getKey() + " sets " + tls);
        }
      }
    });
    assertEquals(3, gridlineServices.size(), "three Gridline nodes: " + gridlineServices);
    for (String store : List.of("timescaledb", "redis", "kafka")) {
      assertTrue(services.has(store), "compose runs " + store);
    }
    assertTrue(merged(services.get("kafka")).get("environment").get("KAFKA_PROCESS_ROLES").asText().contains("controller"),
        "Kafka runs in KRaft mode");
  }

  @Test
  void dockerfileIsMultiStageAndShipsTheNodeJar() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    Matcher from = Pattern.compile("(?m)^FROM ").matcher(dockerfile);
    int stages = 0;
    while (from.find()) {
      stages++;
    }
    assertTrue(stages >= 2, "multi-stage build");
    assertTrue(dockerfile.contains("node/target/gridline-node.jar"));
    assertTrue(dockerfile.contains("ENTRYPOINT"));
    assertFalse(dockerfile.contains("--add-opens"), "JVM flags come from the jar manifest, not the image");
    // the dependency layer copies every module's POM first: a module missing there breaks the image build
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
    while (module.find()) {
      String pom = module.group(1) + "/pom.xml";
      assertTrue(dockerfile.contains("COPY " + pom + " "), "Dockerfile copies " + pom);
    }
  }
}
