package io.gridline.node;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Node} starts from: the command line and environment it would see as a process, the verticles it can
 * deploy, and where it shows operator messages (the generated admin key). Tests start nodes in-process with these.
 */
public final class NodeOptions {
  private List<String> args = List.of();
  private Map<String, String> env = Map.of();
  private List<RegisteredVerticle> registry = Verticles.ALL;
  private PrintStream console = System.out;

  public List<String> getArgs() {
    return args;
  }

  /** Command-line flags, as for {@code java -jar gridline-node.jar}. */
  public NodeOptions setArgs(String... args) {
    this.args = List.of(args);
    return this;
  }

  public NodeOptions setArgs(List<String> args) {
    this.args = List.copyOf(args);
    return this;
  }

  public Map<String, String> getEnv() {
    return env;
  }

  /** The environment; only {@code GRIDLINE_*} variables are read. */
  public NodeOptions setEnv(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  public List<RegisteredVerticle> getRegistry() {
    return registry;
  }

  /** The verticles this node may deploy (default {@link Verticles#ALL}). */
  public NodeOptions setRegistry(List<RegisteredVerticle> registry) {
    this.registry = List.copyOf(registry);
    return this;
  }

  public PrintStream getConsole() {
    return console;
  }

  /** Where operator messages go (default standard output). */
  public NodeOptions setConsole(PrintStream console) {
    this.console = console;
    return this;
  }
}
