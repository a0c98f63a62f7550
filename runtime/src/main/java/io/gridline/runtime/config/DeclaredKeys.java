package io.gridline.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gridline.runtime.EnvNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every config key Gridline knows, read from {@code config/gridline.yaml} (a resource of this module, so the node jar
 * and every module's tests read the same file): name, type and default from the value, meaning from the trailing
 * comment. A key whose comment says "comma list" (or whose default is a YAML sequence) is a list.
 *
 * <p>The node resolves its config from these keys ({@code NodeConfigLoader}); tests and benchmarks start from
 * {@link #defaults()}, so no default is written anywhere but in the file.
 */
public final class DeclaredKeys {
  public static final String RESOURCE = "config/gridline.yaml";
  private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)([A-Za-z0-9_.-]+):(.*)$");
  private static volatile DeclaredKeys bundled;

  /** One declared key. */
  public record Key(String name, ValueType type, Object defaultValue, String comment) {
    public String envName() {
      return EnvNames.forKey(name);
    }

    /** A port key ({@code port} or {@code *-port} as its last segment) holds 0..65535. */
    public boolean isPort() {
      String last = name.substring(name.lastIndexOf('.') + 1);
      return last.equals("port") || last.endsWith("-port");
    }

    /** A port key whose comment documents {@code -1 = off} also takes -1: that listener is turned off. */
    public boolean mayBeOff() {
      return isPort() && comment.contains("-1 = off");
    }
  }

  private final Map<String, Key> keys;
  private final Map<String, Key> byEnvName;

  private DeclaredKeys(Map<String, Key> keys) {
    this.keys = Collections.unmodifiableMap(keys);
    Map<String, Key> env = new HashMap<>();
    for (Key k : keys.values()) {
      Key clash = env.put(k.envName(), k);
      if (clash != null) {
        throw new IllegalStateException("config keys " + clash.name() + " and " + k.name() + " map to the same "
            + "environment variable " + k.envName() + ": rename one in " + RESOURCE);
      }
    }
    this.byEnvName = Collections.unmodifiableMap(env);
  }

  /** The keys of the bundled {@code config/gridline.yaml}. */
  public static DeclaredKeys bundled() {
    DeclaredKeys d = bundled;
    if (d == null) {
      try (InputStream in = DeclaredKeys.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the classpath (the node jar bundles it)");
        }
        d = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
      bundled = d;
    }
    return d;
  }

  public static DeclaredKeys parse(String yaml) {
    Map<String, String> comments = comments(yaml);
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new IllegalStateException(RESOURCE + " is not valid YAML: " + e.getMessage(), e);
    }
    Map<String, Key> keys = new LinkedHashMap<>();
    flatten("", root, (name, node) -> {
      String comment = comments.getOrDefault(name, "");
      ValueType type = typeOf(node, comment);
      Object def = node.isArray() ? ValueType.LIST.parse(join(node)) : type.parse(node.isNull() ? "" : node.asText());
      keys.put(name, new Key(name, type, def, comment));
    });
    return new DeclaredKeys(keys);
  }

  public Optional<Key> get(String name) {
    return Optional.ofNullable(keys.get(name));
  }

  public Optional<Key> byEnvName(String envVar) {
    return Optional.ofNullable(byEnvName.get(envVar));
  }

  public Collection<Key> all() {
    return keys.values();
  }

  /**
   * The flat config a node resolves when nothing overrides a default: every declared key with its declared value
   * (lists as JSON arrays). A fresh copy per call, for tests and benchmarks to put their overrides into.
   */
  public JsonObject defaults() {
    JsonObject flat = new JsonObject();
    for (Key k : keys.values()) {
      flat.put(k.name(), k.defaultValue() instanceof JsonArray a ? a.copy() : k.defaultValue());
    }
    return flat;
  }

  /** The declared key closest to a misspelt one, for "did you mean" hints; empty when nothing is close. */
  public Optional<String> closest(String unknown) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : keys.keySet()) {
      int d = distance(unknown.toLowerCase(java.util.Locale.ROOT), k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(2, unknown.length() / 4) ? Optional.of(best) : Optional.empty();
  }

  public interface LeafVisitor {
    void leaf(String name, JsonNode value);
  }

  /** Visits every non-map node as a dotted key; {@code a: {b: 1}} and {@code a.b: 1} give the same key. */
  public static void flatten(String prefix, JsonNode node, LeafVisitor visitor) {
    if (node == null || node.isMissingNode()) {
      return;
    }
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
          e.getValue(), visitor));
    } else if (!prefix.isEmpty()) {
      visitor.leaf(prefix, node);
    }
  }

  public static String join(JsonNode array) {
    StringBuilder sb = new StringBuilder();
    array.forEach(item -> sb.append(sb.length() == 0 ? "" : ",").append(item.asText()));
    return sb.toString();
  }

  private static ValueType typeOf(JsonNode node, String comment) {
    if (node.isArray() || comment.toLowerCase(java.util.Locale.ROOT).contains("comma list")) {
      return ValueType.LIST;
    }
    if (node.isIntegralNumber()) {
      return ValueType.INT;
    }
    if (node.isBoolean()) {
      return ValueType.BOOL;
    }
    return ValueType.STRING;
  }

  /** The trailing {@code # comment} of each leaf key, by dotted name (YAML parsers drop comments). */
  private static Map<String, String> comments(String yaml) {
    Map<String, String> out = new HashMap<>();
    Deque<Map.Entry<Integer, String>> sections = new ArrayDeque<>();
    for (String line : yaml.split("\n")) {
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      Matcher m = KEY_LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      int indent = m.group(1).length();
      while (!sections.isEmpty() && sections.peek().getKey() >= indent) {
        sections.pop();
      }
      String rest = m.group(3).trim();
      if (rest.isEmpty() || rest.startsWith("#")) {
        sections.push(Map.entry(indent, m.group(2)));
        continue;
      }
      StringBuilder name = new StringBuilder();
      sections.descendingIterator().forEachRemaining(s -> name.append(s.getValue()).append('.'));
      name.append(m.group(2));
      out.put(name.toString(), trailingComment(rest));
    }
    return out;
  }

  private static String trailingComment(String value) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(value.charAt(i - 1)))) {
        return value.substring(i + 1).trim();
      }
    }
    return "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
