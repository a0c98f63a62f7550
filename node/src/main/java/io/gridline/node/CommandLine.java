package io.gridline.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's command line. Flags are shorthands for config keys ({@code --verticles} = {@code verticles},
 * {@code --cluster} = {@code cluster.enabled=true}, {@code --instances} = {@code instances}) and win over every other
 * source; {@code --config FILE} names the file layer.
 *
 * @param help       {@code --help} was given
 * @param configFile the {@code --config} file, if any
 * @param overrides  config key → raw value, from the flags
 */
public record CommandLine(boolean help, Optional<Path> configFile, Map<String, String> overrides) {

  public static final String USAGE = String.join("\n",
      "usage: java -jar gridline-node.jar [--config FILE] [--verticles a,b] [--cluster] [--instances name=N]...",
      "",
      "  --config FILE        a YAML file of config keys (see config/gridline.yaml for every key and its default)",
      "  --verticles LIST     comma list of verticles to deploy on this node (default: every registered verticle)",
      "  --cluster            join the Hazelcast cluster (cluster.enabled=true)",
      "  --instances NAME=N   run N instances of a verticle on this node; repeatable or a comma list",
      "  --help               this text",
      "",
      "Precedence: flags > GRIDLINE_* environment > --config FILE > config/gridline.yaml.",
      "A key a.b-c is set by the environment variable GRIDLINE_A_B_C; lists are comma-separated.");

  public CommandLine {
    overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  /** @throws InvalidConfigException for an unknown flag, a missing value or a stray argument */
  public static CommandLine parse(String... args) {
    boolean help = false;
    Path config = null;
    List<String> verticles = new ArrayList<>();
    List<String> instances = new ArrayList<>();
    String cluster = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      switch (flag) {
        case "--help", "-h" -> help = true;
        case "--config" -> {
          String v = inline != null ? inline : valueOf(args, ++i, flag);
          if (v.isBlank()) {
            throw new InvalidConfigException("--config needs a file name");
          }
          config = Path.of(v);
        }
        case "--verticles" -> verticles.add(inline != null ? inline : valueOf(args, ++i, flag));
        case "--instances" -> instances.add(inline != null ? inline : valueOf(args, ++i, flag));
        case "--cluster" -> {
          if (inline != null && !inline.equalsIgnoreCase("true") && !inline.equalsIgnoreCase("false")) {
            throw new InvalidConfigException("--cluster takes no value (or =true/=false), got " + arg);
          }
          cluster = inline == null ? "true" : inline.toLowerCase(java.util.Locale.ROOT);
        }
        default -> throw new InvalidConfigException(
            (arg.startsWith("-") ? "unknown flag " : "unexpected argument ") + arg + "\n" + USAGE);
      }
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    if (!verticles.isEmpty()) {
      overrides.put("verticles", joined(verticles));
    }
    if (cluster != null) {
      overrides.put("cluster.enabled", cluster);
    }
    if (!instances.isEmpty()) {
      overrides.put("instances", joined(instances));
    }
    return new CommandLine(help, Optional.ofNullable(config), overrides);
  }

  /** The flag that sets a key, for messages ("--verticles" for verticles), or null. */
  static String flagFor(String key) {
    return switch (key) {
      case "verticles" -> "--verticles";
      case "cluster.enabled" -> "--cluster";
      case "instances" -> "--instances";
      default -> null;
    };
  }

  private static String valueOf(String[] args, int i, String flag) {
    if (i >= args.length || (args[i].startsWith("--") && args[i].length() > 2)) {
      throw new InvalidConfigException(flag + " needs a value\n" + USAGE);
    }
    return args[i];
  }

  private static String joined(List<String> parts) {
    return String.join(",", parts.stream().filter(p -> !p.isBlank()).toList());
  }
}
