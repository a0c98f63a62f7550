package io.gridline.sim.faces2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mTLS end to end: a private Mosquitto requiring a client certificate signed by a test CA, certificates issued with
 * the {@code openssl} program (the device's CN is its client id), keys in both PEM layouts the simulator reads.
 */
class SimulatorTlsTest {

  @Test
  void publishesOverMutualTlsWithAPkcs8Key(@TempDir Path dir) throws Exception {
    Path key = issue(dir);
    assertTrue(Files.readString(key).contains("BEGIN PRIVATE KEY"));
    assertEquals(Main.OK, runAgainstTlsBroker(dir, key));
  }

  @Test
  void publishesOverMutualTlsWithAPkcs1RsaKey(@TempDir Path dir) throws Exception {
    Path pkcs8 = issue(dir);
    Path pkcs1 = dir.resolve("device-rsa.key");
    openssl(dir, "rsa", "-in", pkcs8.toString(), "-traditional", "-out", pkcs1.toString());
    assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
    assertEquals(Main.OK, runAgainstTlsBroker(dir, pkcs1));
  }

  @Test
  void withoutAClientCertificateTheHandshakeFailsWithAHint(@TempDir Path dir) throws Exception {
    issue(dir);
    try (TestBrokers.Running broker = TestBrokers.start(tlsConfig(dir), dir)) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = Main.run(new String[] {"--tls", "--port", String.valueOf(broker.port()), "--devices", "1",
          "--count", "1", "--ca", dir.resolve("ca.pem").toString()},
          new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));
      String stderr = err.toString(StandardCharsets.UTF_8);
      assertEquals(Main.FAILED, exit, stderr);
      assertTrue(stderr.contains("f2-aabbccddee01: TLS handshake with ssl://127.0.0.1:" + broker.port() + " failed"),
          stderr);
      assertTrue(stderr.contains("--cert/--key for mTLS"), stderr);
    }
  }

  private int runAgainstTlsBroker(Path dir, Path key) throws Exception {
    try (TestBrokers.Running broker = TestBrokers.start(tlsConfig(dir), dir)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = Main.run(new String[] {"--tls", "--port", String.valueOf(broker.port()), "--devices", "1",
          "--first-mac", "02:00:00:00:00:01", "--count", "3", "--rate", "20", "--qos", "1",
          "--ca", dir.resolve("ca.pem").toString(), "--cert", dir.resolve("device.pem").toString(),
          "--key", key.toString()}, new PrintStream(out, true), new PrintStream(err, true));
      String stdout = out.toString(StandardCharsets.UTF_8);
      assertTrue(stdout.contains("summary: sent 3 acked 3 failed 0"), stdout + err.toString(StandardCharsets.UTF_8));
      return exit;
    }
  }

  private static String tlsConfig(Path dir) {
    return "cafile " + dir.resolve("ca.pem") + "\ncertfile " + dir.resolve("server.pem") + "\nkeyfile "
        + dir.resolve("server.key") + "\nrequire_certificate true\nuse_identity_as_username true\n"
        + "allow_anonymous false\n";
  }

  /** A CA, a server certificate for 127.0.0.1 and a device certificate for f2-020000000001; returns the device key. */
  private static Path issue(Path dir) throws Exception {
    TestBrokers.requireProgram("openssl");
    openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
        "-subj", "/CN=gridline-test-ca");
    Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    signed(dir, "server", "/CN=127.0.0.1", List.of("-extfile", "san.cnf"));
    signed(dir, "device", "/CN=f2-020000000001", List.of());
    return dir.resolve("device.key");
  }

  private static void signed(Path dir, String name, String subject, List<String> extra) throws Exception {
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj",
        subject);
    List<String> sign = new java.util.ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem",
        "-CAkey", "ca.key", "-CAcreateserial", "-out", name + ".pem", "-days", "1"));
    sign.addAll(extra);
    openssl(dir, sign.toArray(new String[0]));
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }
}
