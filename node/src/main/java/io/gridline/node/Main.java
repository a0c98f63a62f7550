package io.gridline.node;

import io.gridline.runtime.PortInUseException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * {@code java -jar gridline-node.jar}: starts a {@link Node}, runs until SIGTERM or SIGINT, stops it gracefully and
 * exits 0. Exit codes: {@value #EXIT_OK} stopped cleanly (or {@code --help}); {@value #EXIT_FAILED} the node failed to
 * start (a port taken, a store unreachable, a migration failed) or to stop within {@code shutdown.timeout-ms};
 * {@value #EXIT_CONFIG} the command line or config is wrong (the message names the key).
 */
public final class Main {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_CONFIG = 2;

  private Main() {}

  public static void main(String[] args) {
    // before any Vert.x class makes its logger
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs a node as the process would: returns at once with a non-zero code when it cannot start; otherwise blocks
   * until SIGTERM/SIGINT, stops the node and returns its exit code.
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    // installed before the start, so a signal during it stops the node as soon as it runs (embedded stores included)
    Future<Void> signalled = ShutdownSignals.install();
    return run(args, env, out, err, node -> signalled);
  }

  /** As {@link #run(String[], Map, PrintStream, PrintStream)}, stopping when {@code stopWhen} completes. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
      Function<Node, Future<?>> stopWhen) {
    try {
      if (CommandLine.parse(args).help()) {
        out.println(CommandLine.USAGE);
        return EXIT_OK;
      }
    } catch (InvalidConfigException e) {
      err.println("gridline: " + e.getMessage());
      return EXIT_CONFIG;
    }
    Node node;
    try {
      node = Node.start(new NodeOptions().setArgs(args).setEnv(env).setConsole(out)).await();
    } catch (Throwable e) {
      err.println("gridline: " + describe(e));
      return exitCode(e);
    }
    stopWhen.apply(node).await();
    try {
      node.stop().await(node.shutdownTimeoutMillis(), TimeUnit.MILLISECONDS);
      return EXIT_OK;
    } catch (TimeoutException e) {
      err.println("gridline: graceful stop took longer than shutdown.timeout-ms (" + node.shutdownTimeoutMillis()
          + " ms): exiting anyway");
      node.abandonStores();
      return EXIT_FAILED;
    } catch (Throwable e) {
      err.println("gridline: stopping failed: " + describe(e));
      return EXIT_FAILED;
    }
  }

  static int exitCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidConfigException) {
        return EXIT_CONFIG;
      }
    }
    return EXIT_FAILED;
  }

  /** The message an operator needs: ours as is, anything else with its cause chain. */
  static String describe(Throwable e) {
    if (e instanceof InvalidConfigException || e instanceof PortInUseException) {
      return e.getMessage();
    }
    StringBuilder sb = new StringBuilder("node failed to start: ").append(messageOf(e));
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      String m = messageOf(t);
      if (!sb.toString().contains(m)) {
        sb.append(": ").append(m);
      }
    }
    return sb.toString();
  }

  private static String messageOf(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** SIGTERM and SIGINT start a graceful stop; a second signal exits at once. */
  static final class ShutdownSignals {
    private ShutdownSignals() {}

    static Future<Void> install() {
      Promise<Void> signalled = Promise.promise();
      AtomicBoolean seen = new AtomicBoolean();
      for (String name : List.of("TERM", "INT")) {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
          if (seen.compareAndSet(false, true)) {
            signalled.tryComplete();
          } else {
            System.err.println("gridline: second SIG" + name + ": exiting without a graceful stop");
            Runtime.getRuntime().halt(EXIT_FAILED);
          }
        });
      }
      return signalled.future();
    }
  }
}
