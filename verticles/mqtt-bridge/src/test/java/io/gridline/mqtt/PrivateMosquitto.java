package io.gridline.mqtt;

import io.gridline.devservices.FreePorts;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.testkit.RequiredTools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto the test starts itself (the machine's one on 1883 is left alone) on free ports of 127.0.0.1: a TLS
 * listener that requires a client certificate, both signed by {@code ca} (server certificate for localhost and
 * 127.0.0.1), and a plain listener for the test's publishers. Skipped on a laptop without mosquitto, failed under
 * {@code CI=true} ({@link RequiredTools}).
 */
final class PrivateMosquitto implements AutoCloseable {
  final int tlsPort;
  final int plainPort;
  final Path caPath;
  private final Process process;
  private final Path log;

  private PrivateMosquitto(int tlsPort, int plainPort, Path caPath, Process process, Path log) {
    this.tlsPort = tlsPort;
    this.plainPort = plainPort;
    this.caPath = caPath;
    this.process = process;
    this.log = log;
  }

  static PrivateMosquitto startTls(Path dir, DeviceCertificateAuthority ca) throws IOException, InterruptedException {
    String mosquitto = RequiredTools.require("mosquitto", "a private TLS broker for the upstream bridge tests");
    Path caPath = Files.writeString(dir.resolve("ca.crt.pem"), ca.caPem());
    DeviceCertificateAuthority.Issued server = ca.issueServer(List.of("localhost"), List.of("127.0.0.1"));
    Path cert = Files.writeString(dir.resolve("broker.crt.pem"), server.certificatePem());
    Path key = Files.writeString(dir.resolve("broker.key.pem"), server.privateKeyPem());
    int tlsPort = FreePorts.find();
    int plainPort = FreePorts.find();
    Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
        "user " + System.getProperty("user.name"), // as root, mosquitto would switch to a user that cannot read dir
        "persistence false",
        "allow_anonymous true",
        "log_dest stdout",
        "listener " + tlsPort + " 127.0.0.1",
        "cafile " + caPath,
        "certfile " + cert,
        "keyfile " + key,
        "require_certificate true",
        "listener " + plainPort + " 127.0.0.1",
        ""));
    Path log = dir.resolve("mosquitto.log");
    Process process = new ProcessBuilder(mosquitto, "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    PrivateMosquitto broker = new PrivateMosquitto(tlsPort, plainPort, caPath, process, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!broker.listening()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        broker.close();
        throw new IllegalStateException("mosquitto did not start: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return broker;
  }

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", plainPort), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What the broker logged: why it refused a connection, for a failing assertion. */
  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
