package io.gridline.runtime;

import io.gridline.devservices.FreePorts;
import io.gridline.testkit.RequiredTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server (the machine's binary, which Debian builds with TLS) listening only with TLS on a free port of
 * 127.0.0.1 and 127.0.0.2, serving {@link TlsFiles#serverCert()}; nothing persisted. Never the machine's own Redis.
 */
final class TlsRedisServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private TlsRedisServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** @param requireClientCertificate redis-server's tls-auth-clients yes (else no) */
  static TlsRedisServer start(Path dir, TlsFiles tls, boolean requireClientCertificate) {
    String redisServer = RequiredTools.require("redis-server", "TLS Redis tests run a private redis-server");
    int port = FreePorts.find();
    Path work = dir.resolve("redis-" + port);
    Path log = work.resolve("server.log");
    try {
      Files.createDirectories(work);
      Process p = new ProcessBuilder(List.of(redisServer,
          "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1", "127.0.0.2",
          "--tls-cert-file", tls.serverCert().toString(), "--tls-key-file", tls.serverKey().toString(),
          "--tls-ca-cert-file", tls.ca().toString(), "--tls-auth-clients", requireClientCertificate ? "yes" : "no",
          "--save", "", "--appendonly", "no", "--dir", work.toString()))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      TlsRedisServer server = new TlsRedisServer(p, port, log);
      server.awaitListening();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + redisServer, e);
    }
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited (does it support TLS?): " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep();
      }
    }
    close();
    throw new IllegalStateException("redis-server did not listen on " + port + ": " + Files.readString(log));
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int port() {
    return port;
  }

  String url(String host) {
    return "rediss://" + host + ":" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
