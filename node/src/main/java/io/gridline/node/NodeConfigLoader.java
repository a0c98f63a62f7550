package io.gridline.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gridline.runtime.EnvNames;
import io.gridline.runtime.config.DeclaredKeys;
import io.gridline.runtime.config.ValueType;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves the node's flat configuration from four layers, each overriding the one before: the defaults declared in
 * {@code config/gridline.yaml}, the {@code --config} file, {@code GRIDLINE_*} environment variables, and flags. Every
 * value is checked against its key's declared type; the result is a flat {@link JsonObject} (keys as declared, e.g.
 * {@code api.port}; ints, booleans, strings, lists as JSON arrays) that the node hands to every verticle.
 */
public final class NodeConfigLoader {

  /** The resolved config and what to warn about once the log is up. */
  public record Loaded(JsonObject flat, List<String> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  private final DeclaredKeys declared;
  private final JsonObject flat = new JsonObject();
  private final List<String> warnings = new ArrayList<>();

  private NodeConfigLoader(DeclaredKeys declared) {
    this.declared = declared;
  }

  /** @throws InvalidConfigException naming the key (and where its value came from) when a value does not fit */
  public static Loaded load(CommandLine commandLine, Map<String, String> env) {
    return new NodeConfigLoader(DeclaredKeys.bundled()).resolve(commandLine, env);
  }

  private Loaded resolve(CommandLine commandLine, Map<String, String> env) {
    applyDefaults();
    commandLine.configFile().ifPresent(this::applyFile);
    applyEnvironment(env);
    applyFlags(commandLine.overrides());
    deriveNodeId();
    return new Loaded(flat, warnings);
  }

  private void applyDefaults() {
    declared.all().forEach(k -> flat.put(k.name(), copy(k.defaultValue())));
  }

  private void applyFile(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InvalidConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new InvalidConfigException("config file " + file + " is not readable YAML: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      throw new InvalidConfigException("config file " + file + " must be a map of keys, e.g. `api:\\n  port: 8080`");
    }
    String source = "in " + file;
    DeclaredKeys.flatten("", root, (name, node) -> {
      DeclaredKeys.Key key = declared.get(name).orElseThrow(() -> new InvalidConfigException(
          "unknown config key " + name + " " + source + hint(name) + " (every key is declared in config/gridline.yaml)"));
      if (node.isArray() && key.type() != ValueType.LIST) {
        throw new InvalidConfigException("invalid value for " + name + " " + source + ": expected "
            + key.type().description() + ", got a list");
      }
      set(key, node.isArray() ? DeclaredKeys.join(node) : node.isNull() ? "" : node.asText(), source);
    });
    // a section given where a value is declared (api.port: {x: 1}) surfaces above as an unknown key api.port.x
  }

  private void applyEnvironment(Map<String, String> env) {
    new TreeMap<>(env).forEach((name, value) -> {
      if (!name.startsWith(EnvNames.PREFIX)) {
        return;
      }
      declared.byEnvName(name).ifPresentOrElse(
          key -> set(key, value, "(env " + name + ")"),
          () -> warnings.add("ignoring environment variable " + name + ": no config key maps to it"
              + envHint(name) + " (keys are declared in config/gridline.yaml)"));
    });
  }

  private void applyFlags(Map<String, String> overrides) {
    overrides.forEach((name, value) -> {
      DeclaredKeys.Key key = declared.get(name)
          .orElseThrow(() -> new IllegalStateException("flag for undeclared key " + name));
      String flag = CommandLine.flagFor(name);
      set(key, value, "(" + (flag != null ? flag : name) + ")");
    });
  }

  /** {@code node.id} defaults to {@code <hostname>-<ops.port>}: stable across restarts of the same node. */
  private void deriveNodeId() {
    if (flat.getString("node.id", "").isBlank()) {
      flat.put("node.id", hostname() + "-" + flat.getInteger("ops.port"));
    }
  }

  private void set(DeclaredKeys.Key key, String raw, String source) {
    Object value;
    try {
      value = key.type().parse(raw);
    } catch (IllegalArgumentException e) {
      throw invalid(key, source, e.getMessage());
    }
    if (key.isPort() && value instanceof Number n && (n.longValue() < 0 || n.longValue() > 65535)
        && !(key.mayBeOff() && n.longValue() == -1)) {
      throw invalid(key, source, n + " is not a port (0..65535" + (key.mayBeOff() ? ", or -1 = off)" : ")"));
    }
    if (key.type() == ValueType.INT && !key.isPort() && value instanceof Number n && n.longValue() < 0) {
      throw invalid(key, source, "must not be negative, got " + n);
    }
    flat.put(key.name(), value);
  }

  private static InvalidConfigException invalid(DeclaredKeys.Key key, String source, String why) {
    String where = source.startsWith("(env ") ? source : source + " (env " + key.envName() + ")";
    return new InvalidConfigException("invalid value for " + key.name() + " " + where + ": " + why);
  }

  private String hint(String unknown) {
    return declared.closest(unknown).map(k -> " (did you mean " + k + "?)").orElse("");
  }

  private String envHint(String envVar) {
    String asKey = envVar.substring(EnvNames.PREFIX.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    return declared.closest(asKey).map(k -> " (did you mean " + EnvNames.forKey(k) + "?)").orElse("");
  }

  private static Object copy(Object v) {
    return v instanceof io.vertx.core.json.JsonArray a ? a.copy() : v;
  }

  private static String hostname() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      if (h != null && !h.isBlank()) {
        return h;
      }
    } catch (IOException e) {
      // fall through to the environment
    }
    String h = System.getenv("HOSTNAME");
    return h != null && !h.isBlank() ? h : "localhost";
  }
}
