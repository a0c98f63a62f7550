package io.gridline.sim.faces2;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The MQTT peers of the end-to-end tests: the shared Mosquitto on 127.0.0.1:1883, or a private one started from the
 * {@code mosquitto} program. Missing either: skipped on a laptop, failed under CI ({@code CI=true}) — the semantics of
 * devservices' {@code RequiredTools}, without pulling the embedded stores into this small module's tests.
 */
final class TestBrokers {
  private TestBrokers() {}

  static void requireSharedMosquitto() {
    if (!accepts(1883)) {
      missing("no MQTT broker on 127.0.0.1:1883 (mosquitto)");
    }
  }

  static void requireProgram(String program) {
    if (find(program) == null) {
      missing(program + " is not on the PATH");
    }
  }

  /** A private Mosquitto on a free port with the given extra configuration; close it to stop it. */
  static Running start(String config, Path dir) throws Exception {
    String program = find("mosquitto");
    if (program == null) {
      missing("mosquitto is not on the PATH");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, "listener " + port + " 127.0.0.1\n" + config);
    readableByAll(dir);
    Process process = new ProcessBuilder(program, "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (!accepts(port)) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
      }
      Thread.sleep(50);
    }
    return new Running(port, process);
  }

  /** Started as root, mosquitto drops to its own user, which must still read the test's files. */
  private static void readableByAll(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        f.toFile().setReadable(true, false);
      }
    }
    dir.toFile().setReadable(true, false);
    dir.toFile().setExecutable(true, false);
  }

  record Running(int port, Process process) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String find(String program) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin";
    for (String dir : path.split(File.pathSeparator)) {
      File candidate = new File(dir, program);
      if (!dir.isEmpty() && candidate.isFile() && candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return null;
  }

  private static void missing(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(reason + ": CI must have it");
    }
    Assumptions.abort(reason + ": test skipped on this machine");
  }
}
