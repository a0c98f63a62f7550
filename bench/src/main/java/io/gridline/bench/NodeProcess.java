package io.gridline.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Gridline node started from the real executable jar, as a user would run it. Children still running when the bench
 * JVM exits (a failure, Ctrl-C, SIGTERM) are stopped by a shutdown hook: SIGTERM, then SIGKILL after
 * {@link #SHUTDOWN_GRACE}. A SIGKILL of the bench itself runs no hook; such children must be killed by hand.
 */
final class NodeProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  /** Launched and not yet closed; what the shutdown hook stops. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(NodeProcess::stopRunning, "node-process-reaper"));
  }

  private final Process process;
  private final int opsPort;
  private final long launchedAtNanos;

  private NodeProcess(Process process, int opsPort, long launchedAtNanos) {
    this.process = process;
    this.opsPort = opsPort;
    this.launchedAtNanos = launchedAtNanos;
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("node/target/gridline-node.jar"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("node/target/gridline-node.jar not found: run ./gridline build first");
    }
    return p;
  }

  static NodeProcess launch(Map<String, String> env, int opsPort, Path log, String... args) throws IOException {
    Path root = repoRoot();
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", root.resolve("node/target/gridline-node.jar").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("GRIDLINE_"));
    pb.environment().putAll(env);
    pb.environment().put("GRIDLINE_OPS_PORT", Integer.toString(opsPort));
    long t0 = System.nanoTime();
    Process process = pb.start();
    RUNNING.add(process);
    process.onExit().thenRun(() -> RUNNING.remove(process));
    return new NodeProcess(process, opsPort, t0);
  }

  /** The shutdown hook: SIGTERM to every child still running, then SIGKILL to those alive after the grace period. */
  private static void stopRunning() {
    List<Process> alive = RUNNING.stream().filter(Process::isAlive).toList();
    alive.forEach(Process::destroy);
    long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
    for (Process p : alive) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }

  long pid() {
    return process.pid();
  }

  long launchedAtNanos() {
    return launchedAtNanos;
  }

  /** Polls an ops endpoint until the predicate holds; returns the nanoTime it first held. */
  long awaitOps(String path, Predicate<HttpResponse<String>> done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path))
        .timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (done.test(r)) {
          return System.nanoTime();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("timed out waiting for " + path);
  }

  long awaitReady(Duration timeout) throws Exception {
    return awaitOps("/health/ready", r -> r.statusCode() == 200, timeout);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: graceful stop
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  static Path tempDir(String prefix) throws IOException {
    File f = Files.createTempDirectory(prefix).toFile();
    f.deleteOnExit();
    return f.toPath();
  }
}
