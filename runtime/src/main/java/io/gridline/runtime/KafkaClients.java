package io.gridline.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka clients with Gridline's delivery rules (docs/architecture.md §1, §4): producers {@code acks=all} and
 * idempotent; consumers in
 * group {@code gridline.<verticle>}, {@code auto.offset.reset=earliest}, no auto-commit (a verticle commits only after
 * its effect is durable). Keys are strings, values raw bytes (the JSON of {@code codecs.KafkaCodecs}).
 *
 * <p>{@link #connection} is the one place that says how to reach the brokers — {@code bootstrap.servers} plus the TLS
 * and SASL settings ({@code kafka.security-protocol}, {@code kafka.ssl.*}, {@code kafka.sasl.*}). Every client of the
 * node, producers, consumers, the topic admin and the readiness probe, starts from it.
 */
public final class KafkaClients {
  public static final String SECURITY_PROTOCOL = "kafka.security-protocol";
  public static final String SASL_MECHANISM = "kafka.sasl.mechanism";
  public static final String SASL_USERNAME = "kafka.sasl.username";
  public static final String SASL_PASSWORD = "kafka.sasl.password";
  public static final String SSL_TRUST_PATH = "kafka.ssl.trust-path";
  public static final String SSL_CERT_PATH = "kafka.ssl.cert-path";
  public static final String SSL_KEY_PATH = "kafka.ssl.key-path";

  private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
  private static final Map<String, String> LOGIN_MODULES = Map.of(
      "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
      "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
      "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

  private KafkaClients() {}

  /**
   * {@code bootstrap.servers} and the security properties for any Kafka client. Blocking (reads the client
   * certificate and key, which Kafka takes inline as PEM): build clients on a worker thread, as their constructors
   * must be anyway. Kafka logs the key and the JAAS config as {@code [hidden]}; nothing here logs them.
   *
   * @throws InvalidSetting when the settings cannot work (the node checks this at start)
   */
  public static Map<String, String> connection(GridlineConfig config) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", config.string(Store.KAFKA.urlKey()));
    String protocol = protocol(config);
    requireValidSecurity(config);
    c.put("security.protocol", protocol);
    if (protocol.endsWith("SSL")) {
      // Kafka's default too, stated so that no other layer can quietly switch the host name check off
      c.put("ssl.endpoint.identification.algorithm", "https");
      config.optString(SSL_TRUST_PATH).ifPresent(path -> {
        c.put("ssl.truststore.type", "PEM");
        c.put("ssl.truststore.location", path);
      });
      config.optString(SSL_CERT_PATH).ifPresent(cert -> {
        c.put("ssl.keystore.type", "PEM");
        c.put("ssl.keystore.certificate.chain", read(SSL_CERT_PATH, cert));
        c.put("ssl.keystore.key", read(SSL_KEY_PATH, config.string(SSL_KEY_PATH)));
      });
    }
    if (protocol.startsWith("SASL_")) {
      String mechanism = mechanism(config);
      c.put("sasl.mechanism", mechanism);
      c.put("sasl.jaas.config", LOGIN_MODULES.get(mechanism) + " required username=\""
          + jaasQuoted(config.string(SASL_USERNAME)) + "\" password=\"" + jaasQuoted(config.string(SASL_PASSWORD)) + "\";");
    }
    return c;
  }

  /**
   * Blocking (file system). Refuses security settings that cannot work or would be silently ignored — a CA or
   * password given while the protocol stays PLAINTEXT would leave the link in clear text unnoticed.
   *
   * @throws InvalidSetting naming the key; never quoting the password
   */
  public static void requireValidSecurity(GridlineConfig config) {
    String protocol = protocol(config);
    boolean tls = protocol.endsWith("SSL");
    boolean sasl = protocol.startsWith("SASL_");
    for (String key : List.of(SSL_TRUST_PATH, SSL_CERT_PATH, SSL_KEY_PATH)) {
      if (!tls && config.optString(key).isPresent()) {
        throw new InvalidSetting(key, "needs " + SECURITY_PROTOCOL + " SSL or SASL_SSL (it is " + protocol + ")");
      }
    }
    for (String key : List.of(SASL_USERNAME, SASL_PASSWORD)) {
      if (!sasl && config.optString(key).isPresent()) {
        throw new InvalidSetting(key, "needs " + SECURITY_PROTOCOL + " SASL_SSL or SASL_PLAINTEXT (it is " + protocol + ")");
      }
      if (sasl && config.optString(key).isEmpty()) {
        throw new InvalidSetting(key, "must be set with " + SECURITY_PROTOCOL + " " + protocol);
      }
    }
    if (sasl) {
      mechanism(config);
    }
    PemSettings.requirePair(config, SSL_CERT_PATH, SSL_KEY_PATH);
    PemSettings.requireReadable(config, SSL_TRUST_PATH);
  }

  /** Config for an admin client (topic creation, probes): the connection plus its client id. Blocking, as {@link #connection}. */
  public static Map<String, String> adminConfig(GridlineConfig config, String clientId) {
    Map<String, String> a = connection(config);
    a.put("client.id", clientId);
    return a;
  }

  public static Map<String, String> producerConfig(GridlineConfig config, String verticle) {
    Map<String, String> p = connection(config);
    p.put("client.id", config.nodeId() + "-" + verticle);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("linger.ms", Integer.toString(config.nonNegativeInt("kafka.producer-linger-ms")));
    p.put("compression.type", "lz4");
    p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    p.put("value.serializer", "io.vertx.kafka.client.serialization.BufferSerializer");
    return p;
  }

  public static Map<String, String> consumerConfig(GridlineConfig config, String verticle) {
    Map<String, String> c = connection(config);
    c.put("client.id", config.nodeId() + "-" + verticle);
    c.put("group.id", "gridline." + verticle);
    c.put("auto.offset.reset", "earliest");
    c.put("enable.auto.commit", "false");
    // Kafka's 500 ms default: under a steady stream the broker was measured to hold fetches open that long (one hop at
    // 4,000 msg/s: p50 287 ms with 500, 8 ms with 50; bench KafkaHopBench), which every hop of the pipeline adds up.
    c.put("fetch.max.wait.ms", Integer.toString(config.nonNegativeInt("kafka.fetch-max-wait-ms")));
    c.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    c.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
    return c;
  }

  /** Blocking constructor work (DNS, threads, key files): call from start() through executeBlocking. */
  public static KafkaProducer<String, Buffer> producer(Vertx vertx, GridlineConfig config, String verticle) {
    return KafkaProducer.create(vertx, producerConfig(config, verticle));
  }

  /** Blocking, as {@link #producer}. */
  public static KafkaConsumer<String, Buffer> consumer(Vertx vertx, GridlineConfig config, String verticle) {
    return KafkaConsumer.create(vertx, consumerConfig(config, verticle));
  }

  /** {@code kafka.security-protocol}, upper case. */
  public static String protocol(GridlineConfig config) {
    return config.choice(SECURITY_PROTOCOL, PROTOCOLS);
  }

  private static String mechanism(GridlineConfig config) {
    return config.choice(SASL_MECHANISM, MECHANISMS);
  }

  /** A value inside a JAAS double-quoted string: Kafka's parser reads backslash escapes there. */
  static String jaasQuoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String read(String key, String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + key + " " + path, e);
    }
  }
}
