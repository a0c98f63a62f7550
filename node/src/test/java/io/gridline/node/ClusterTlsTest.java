package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.devservices.FreePorts;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.VerticleSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The clustered event bus with TLS and client certificates ({@code cluster.tls.*}): members whose certificates the
 * cluster CA signed talk; a process that joins Hazelcast (which authenticates nobody) with a certificate from another CA,
 * or with none, can neither send to the members nor receive from them.
 */
class ClusterTlsTest {
  /** A verticle that needs no store: the test talks over the nodes' event buses itself. */
  static final class Idle extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }

  private static final RegisteredVerticle IDLE =
      RegisteredVerticle.of(new VerticleSpec("idle", Set.of(), Idle::new));

  private record Member(Node node, BlockingQueue<String> received) {}

  private final List<Node> started = new ArrayList<>();
  private final String cluster = "tls-test-" + UUID.randomUUID();
  private final int seedPort = FreePorts.find();

  private Member start(String nodeId, Map<String, String> tls) {
    Map<String, String> env = new HashMap<>();
    env.put("GRIDLINE_NODE_ID", nodeId);
    env.put("GRIDLINE_CLUSTER_NAME", cluster);
    env.put("GRIDLINE_CLUSTER_HOST", "127.0.0.1");
    int port = started.isEmpty() ? seedPort : FreePorts.find();
    env.put("GRIDLINE_CLUSTER_PORT", Integer.toString(port));
    env.put("GRIDLINE_CLUSTER_MEMBERS", started.isEmpty() ? "127.0.0.1:" + seedPort
        : "127.0.0.1:" + seedPort + ",127.0.0.1:" + port);
    env.put("GRIDLINE_OPS_PORT", "0");
    env.put("GRIDLINE_OPS_HOST", "127.0.0.1");
    env.put("GRIDLINE_DEVSERVICES_DATA_DIR", TestNodes.tempDir("gridline-tls-node-").toString());
    env.put("GRIDLINE_SECRETS_ENCRYPTION_KEY", io.gridline.runtime.SecretBox.generateKey());
    env.putAll(tls);
    List<RegisteredVerticle> registry = new ArrayList<>(Verticles.ALL);
    registry.add(IDLE);
    Node node = TestNodes.start(new NodeOptions().setEnv(env).setRegistry(registry)
        .setArgs("--cluster", "--verticles", "idle"));
    started.add(node);
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    node.vertx().eventBus().<String>consumer("test.tls." + nodeId, m -> {
      received.add(m.body());
      m.reply("ok from " + nodeId);
    }).completion().await();
    return new Member(node, received);
  }

  private static Map<String, String> tls(Path dir, DeviceCertificateAuthority ca, String nodeId) throws Exception {
    DeviceCertificateAuthority.Issued issued = ca.issueNode(nodeId);
    Path cert = Files.writeString(dir.resolve(nodeId + ".crt.pem"), issued.certificatePem());
    Path key = Files.writeString(dir.resolve(nodeId + ".key.pem"), issued.privateKeyPem());
    Path trust = Files.writeString(dir.resolve(nodeId + "-trust.pem"), ca.caPem());
    return Map.of("GRIDLINE_CLUSTER_TLS_CERT_PATH", cert.toString(), "GRIDLINE_CLUSTER_TLS_KEY_PATH", key.toString(),
        "GRIDLINE_CLUSTER_TLS_TRUST_PATH", trust.toString());
  }

  private void awaitMembers(int n) {
    for (Node node : started) {
      TestNodes.await(node.opsPort(), "/cluster", r -> TestNodes.json(r).getJsonArray("members").size() == n,
          Duration.ofSeconds(30));
    }
  }

  /** Sends from {@code from} to {@code to}'s address; the reply, or the failure's message. */
  private static String send(Member from, String toNodeId, String body) {
    try {
      return from.node().vertx().eventBus().<String>request("test.tls." + toNodeId, body,
          new DeliveryOptions().setSendTimeout(3_000)).await(10, TimeUnit.SECONDS).body();
    } catch (Exception e) {
      return "failed: " + e.getMessage();
    }
  }

  private void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      TestNodes.stop(started.get(i));
    }
  }

  @Test
  void membersOfTheClusterCaTalkAndAProcessWithoutItCanNeitherSendNorReceive() throws Exception {
    Path dir = Files.createTempDirectory("gridline-cluster-tls-");
    DeviceCertificateAuthority clusterCa = DeviceCertificateAuthority.loadOrGenerate(dir.resolve("ca"), "cluster-ca",
        "test cluster CA");
    DeviceCertificateAuthority otherCa = DeviceCertificateAuthority.loadOrGenerate(dir.resolve("other"), "cluster-ca",
        "another CA");
    try {
      Member a = start("tls-a", tls(dir, clusterCa, "tls-a"));
      Member b = start("tls-b", tls(dir, clusterCa, "tls-b"));
      Member rogue = start("tls-rogue", tls(dir, otherCa, "tls-rogue"));
      Member plain = start("tls-plain", Map.of());
      awaitMembers(4); // Hazelcast let every one of them in: it authenticates nobody

      assertEquals("ok from tls-a", send(b, "tls-a", "from b"));
      assertEquals("ok from tls-b", send(a, "tls-b", "from a"));
      assertEquals("from b", a.received().poll(5, TimeUnit.SECONDS));

      // a certificate from another CA, or none: nothing goes through, either way
      assertTrue(send(rogue, "tls-a", "forged").startsWith("failed"), "the rogue process could not send");
      assertTrue(send(plain, "tls-a", "forged").startsWith("failed"), "the plain process could not send");
      assertTrue(send(a, "tls-rogue", "secret").startsWith("failed"), "nothing reached the rogue process");
      assertTrue(send(b, "tls-plain", "secret").startsWith("failed"), "nothing reached the plain process");
      assertEquals(null, a.received().poll(500, TimeUnit.MILLISECONDS));
      assertTrue(rogue.received().isEmpty() && plain.received().isEmpty());
    } finally {
      stopAll();
    }
  }

  @Test
  void nodesSharingADataDirGenerateOneClusterCaAndTalk() throws Exception {
    Path shared = Files.createTempDirectory("gridline-cluster-generate-");
    Map<String, String> generate = Map.of("GRIDLINE_CLUSTER_TLS_GENERATE", "true",
        "GRIDLINE_DEVSERVICES_DATA_DIR", shared.toString());
    try {
      Member a = start("gen-a", generate);
      Member b = start("gen-b", generate);
      awaitMembers(2);
      assertEquals("ok from gen-a", send(b, "gen-a", "hello"));
      assertTrue(Files.exists(shared.resolve("cluster-ca.crt.pem")));
      assertTrue(Files.exists(shared.resolve("cluster-node-gen-a.crt.pem")));
      assertTrue(Files.exists(shared.resolve("cluster-node-gen-b.key.pem")));
    } finally {
      stopAll();
    }
  }

  @Test
  void halfAClusterTlsConfigurationStopsTheNodeNamingTheMissingKey() {
    Map<String, String> env = new HashMap<>();
    env.put("GRIDLINE_NODE_ID", "tls-half");
    env.put("GRIDLINE_CLUSTER_NAME", cluster);
    env.put("GRIDLINE_OPS_PORT", "0");
    env.put("GRIDLINE_DEVSERVICES_DATA_DIR", TestNodes.tempDir("gridline-tls-half-").toString());
    env.put("GRIDLINE_SECRETS_ENCRYPTION_KEY", io.gridline.runtime.SecretBox.generateKey());
    env.put("GRIDLINE_CLUSTER_TLS_CERT_PATH", "/nonexistent/cert.pem");
    List<RegisteredVerticle> registry = new ArrayList<>(Verticles.ALL);
    registry.add(IDLE);
    Throwable err = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Node.start(
        new NodeOptions().setEnv(env).setRegistry(registry).setArgs("--cluster", "--verticles", "idle"))
        .await(60, TimeUnit.SECONDS));
    Throwable root = err instanceof java.util.concurrent.CompletionException c ? c.getCause() : err;
    assertTrue(String.valueOf(root.getMessage()).contains("cluster.tls.key-path"), String.valueOf(root.getMessage()));
  }
}
