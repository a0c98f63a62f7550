package io.gridline.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (3.7, KRaft, one node that is both broker and controller) running inside this JVM.
 *
 * <p>Listens on 127.0.0.1 only. The data directory holds the logs and {@code meta.properties}; the cluster
 * id is written once and reused, so a restart on the same directory keeps topics, records and committed
 * offsets. {@code kafka.server.KafkaRaftServer} is internal Kafka API: it is used in this class only.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  /** The broker's version, for log lines. */
  public static final String VERSION = "3.7.1";
  private static final int NODE_ID = 1;

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final int sslPort;
  private final int saslSslPort;
  private final String clusterId;
  private final Thread stopHook;
  private boolean closed;

  /**
   * An SSL and a SASL_SSL listener besides PLAINTEXT, for tests of clients' TLS and SASL settings: both serve the
   * PEM certificate chain and PKCS#8 key given. With {@code clientCaPem} set the SSL listener demands a client
   * certificate signed by it (the SASL_SSL listener never does). SASL_SSL accepts mechanism PLAIN for
   * {@code plainUsers} (name → password). The broker and its controller still talk PLAINTEXT among themselves.
   */
  public record SecureListeners(String certificateChainPem, String privateKeyPem, String clientCaPem,
                                Map<String, String> plainUsers) {
    public SecureListeners {
      plainUsers = Map.copyOf(plainUsers);
    }
  }

  private EmbeddedKafka(KafkaRaftServer server, Path dataDir, int port, int controllerPort, int sslPort,
                        int saslSslPort, String clusterId) {
    this.server = server;
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.sslPort = sslPort;
    this.saslSslPort = saslSslPort;
    this.clusterId = clusterId;
    this.stopHook = new Thread(this::close, "embedded-kafka-stop");
  }

  /**
   * Starts a broker on 127.0.0.1:port (0: a free port) keeping its data in dataDir (created if missing).
   * The controller listener always takes a free port. Returns once the broker is registered and unfenced,
   * i.e. ready for clients.
   *
   * @throws IllegalStateException if the port is taken or the broker does not start
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, null);
  }

  /**
   * A broker on free ports with {@link SecureListeners} besides PLAINTEXT: {@link #sslBootstrapServers()},
   * {@link #saslSslBootstrapServers()}. For tests.
   */
  public static EmbeddedKafka start(Path dataDir, SecureListeners secure) {
    return start(dataDir, 0, java.util.Objects.requireNonNull(secure, "secure"));
  }

  private static EmbeddedKafka start(Path dataDir, int port, SecureListeners secure) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
    Quiet.kafkaLoggers();
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka data directory " + dir, e);
    }
    if (!Leftovers.lockFree(dir.resolve(".lock"))) {
      throw new IllegalStateException("cannot start embedded Kafka: " + dir + " is used by another running broker");
    }
    if (port != 0) {
      FreePorts.requireFree(port, "Kafka");
    }
    String clusterId = clusterId(dir);
    int brokerPort = port == 0 ? FreePorts.find() : port;
    int controllerPort = FreePorts.find();
    int sslPort = secure == null ? -1 : FreePorts.find();
    int saslSslPort = secure == null ? -1 : FreePorts.find();
    Properties props = config(dir, brokerPort, controllerPort);
    if (secure != null) {
      secure(props, brokerPort, controllerPort, sslPort, saslSslPort, secure);
    }
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    long t0 = System.nanoTime();
    try {
      server.startup();
    } catch (Throwable t) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } catch (Throwable s) {
        t.addSuppressed(s);
      }
      throw new IllegalStateException("embedded Kafka did not start on 127.0.0.1:" + brokerPort + " (data in " + dataDir + "): " + t, t);
    }
    log.debug("embedded Kafka started in {} ms", (System.nanoTime() - t0) / 1_000_000);
    EmbeddedKafka kafka = new EmbeddedKafka(server, dir, brokerPort, controllerPort, sslPort, saslSslPort, clusterId);
    Runtime.getRuntime().addShutdownHook(kafka.stopHook);
    return kafka;
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>} of the SSL listener; only for a broker started with {@link SecureListeners}. */
  public String sslBootstrapServers() {
    return "127.0.0.1:" + requireSecure(sslPort);
  }

  /** {@code 127.0.0.1:<port>} of the SASL_SSL (PLAIN) listener; only for a broker started with {@link SecureListeners}. */
  public String saslSslBootstrapServers() {
    return "127.0.0.1:" + requireSecure(saslSslPort);
  }

  private static int requireSecure(int listenerPort) {
    if (listenerPort < 0) {
      throw new IllegalStateException("this broker was started without SecureListeners");
    }
    return listenerPort;
  }

  /** The cluster id from {@code meta.properties}; the same across restarts on one data directory. */
  public String clusterId() {
    return clusterId;
  }

  /** The absolute data directory (pass it to {@link #start} again to restart with the same data). */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Stops the broker (a clean shutdown: the next start needs no log recovery) and waits until it has shut
   * down. Idempotent; a concurrent caller waits for the first. Also runs as a JVM shutdown hook.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() != stopHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook may run too and then finds the broker closed
      }
    }
    server.shutdown();
    server.awaitShutdown();
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers() + ", controller 127.0.0.1:" + controllerPort + ", " + dataDir + "]";
  }

  private static Properties config(Path dir, int port, int controllerPort) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(NODE_ID));
    p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("log.dirs", dir.toString());
    // topics: the node creates its own (kafka.partitions, default 6); auto-created ones get the same
    p.setProperty("num.partitions", "6");
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("auto.create.topics.enable", "true");
    // internal topics on one broker; fewer partitions than the default 50 make the first group join fast
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "6");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "6");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // a developer's disk: 3 days or 256 MiB per partition, in 64 MiB segments
    p.setProperty("log.retention.hours", "72");
    p.setProperty("log.retention.bytes", Long.toString(256L * 1024 * 1024));
    p.setProperty("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
    // small machine: fewer threads, and a small compaction buffer (default 128 MiB of heap)
    p.setProperty("num.network.threads", "2");
    p.setProperty("num.io.threads", "4");
    p.setProperty("num.recovery.threads.per.data.dir", "2");
    p.setProperty("background.threads", "4");
    p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    p.setProperty("auto.leader.rebalance.enable", "false");
    // After an unclean stop (JVM killed) the restarted controller keeps the old broker session alive and
    // rejects the new registration until that session expires: 9 s by default, 3 s here.
    p.setProperty("broker.session.timeout.ms", "3000");
    p.setProperty("broker.heartbeat.interval.ms", "500");
    return p;
  }

  /** Adds the SSL and SASL_SSL listeners: PEM key material inline, so no keystore files are written. */
  private static void secure(Properties p, int port, int controllerPort, int sslPort, int saslSslPort,
                             SecureListeners secure) {
    p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + sslPort
        + ",SASL_SSL://127.0.0.1:" + saslSslPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + sslPort
        + ",SASL_SSL://127.0.0.1:" + saslSslPort);
    p.setProperty("listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
    p.setProperty("ssl.keystore.type", "PEM");
    p.setProperty("ssl.keystore.certificate.chain", secure.certificateChainPem());
    p.setProperty("ssl.keystore.key", secure.privateKeyPem());
    if (secure.clientCaPem() != null) {
      p.setProperty("ssl.truststore.type", "PEM");
      p.setProperty("ssl.truststore.certificates", secure.clientCaPem());
      p.setProperty("listener.name.ssl.ssl.client.auth", "required");
    }
    p.setProperty("listener.name.sasl_ssl.ssl.client.auth", "none");
    p.setProperty("sasl.enabled.mechanisms", "PLAIN");
    StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    secure.plainUsers().forEach((user, password) -> jaas.append(" user_").append(user).append("=\"")
        .append(password.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
    p.setProperty("listener.name.sasl_ssl.plain.sasl.jaas.config", jaas.append(';').toString());
  }

  /** Reads cluster.id from meta.properties, or writes a new meta.properties (KRaft, version 1) on first start. */
  private static String clusterId(Path dir) {
    Path meta = dir.resolve("meta.properties");
    try {
      if (Files.isRegularFile(meta)) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
          p.load(in);
        }
        String id = p.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
          throw new IllegalStateException(meta + " has no cluster.id");
        }
        String nodeId = p.getProperty("node.id");
        if (nodeId != null && !nodeId.trim().equals(Integer.toString(NODE_ID))) {
          throw new IllegalStateException(meta + " belongs to node.id " + nodeId + ", not to an embedded broker");
        }
        return id.trim();
      }
      String id = Uuid.randomUuid().toString();
      Properties p = new Properties();
      p.setProperty("version", "1");
      p.setProperty("cluster.id", id);
      p.setProperty("node.id", Integer.toString(NODE_ID));
      Path tmp = dir.resolve("meta.properties.tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, "written by Gridline devservices");
      }
      Files.move(tmp, meta, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + meta, e);
    }
  }
}
