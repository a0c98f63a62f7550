package io.gridline.mqtt;

import io.gridline.codecs.Codecs;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.Listeners;
import io.gridline.runtime.Meters;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.Store;
import io.gridline.runtime.StoreClients;
import io.gridline.runtime.VerticleSpec;
import io.gridline.runtime.device.DeviceDirectory;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * MQTT endpoint for devices (docs/architecture.md §6): accepted publishes go to Kafka {@code gridline.telemetry.raw}
 * and are
 * acknowledged only after Kafka acknowledged them. This class only wires; see the module README.
 */
public final class MqttBridgeVerticle extends VerticleBase {
  public static final VerticleSpec SPEC = new VerticleSpec("mqtt-bridge",
      Set.of(Store.KAFKA, Store.POSTGRES, Store.REDIS), MqttBridgeVerticle::new);
  static final String KAFKA_CHECK = "verticle.mqtt-bridge.kafka";
  /** Client misbehaviour the Vert.x MQTT server reports by throwing: a device can provoke it at will. */
  private static final io.gridline.runtime.LogThrottle clientErrors =
      new io.gridline.runtime.LogThrottle(org.slf4j.LoggerFactory.getLogger(MqttBridgeVerticle.class), 20);

  private Pool pool;
  private KafkaProducer<String, Buffer> producer;
  private DeviceDirectory directory;
  private MqttServer plain;
  private MqttServer tls;
  private Redis redis;
  private DeviceOwnership ownership;
  private CommandReceiver commands;
  private UpstreamLink upstream;

  @Override
  public Future<?> start() {
    // A client that keeps sending after the bridge closed its connection (a refused publish, a take-over) makes the
    // Vert.x MQTT server throw for each packet already on its way ("CONNECT not sent yet"): a line within a budget, not
    // an error with a stack trace per packet
    context.exceptionHandler(err -> clientErrors.warn("mqtt-bridge: a client's packet was dropped: {}",
        io.gridline.runtime.UntrustedText.forLog(err.getMessage())));
    GridlineConfig config = GridlineConfig.of(config());
    MqttSettings configured = MqttSettings.from(config);
    Optional<UpstreamSettings> upstreamSettings = UpstreamSettings.from(config, configured.maxPayloadBytes());
    Codecs.registerAll(vertx);
    pool = StoreClients.pg(vertx, config);
    redis = StoreClients.redis(vertx, config);
    ConnectionQuota quota = ConnectionQuota.of(vertx);
    KafkaBacklog backlog = KafkaBacklog.of(vertx);
    BridgeMeters meters = new BridgeMeters(Meters.registry(), quota, backlog);
    KafkaHealth kafkaHealth = new KafkaHealth();
    directory = DeviceDirectory.create(vertx, pool, RedisAPI.api(redis), DeviceDirectory.ttl(config));

    // the device CA the TLS listener trusts is generated on first use in the dev profile (mqtt.device-ca.generate),
    // and so is the listener's own certificate, signed by that CA (mqtt.tls.generate); otherwise the bridge reads only
    // the CA certificate (mqtt.device-ca.cert-path): an edge node never needs the CA's key
    return vertx.executeBlocking(() -> configured.resolveServerCertificate(
            configured.generatesServerCertificate() || DeviceCertificateAuthority.generates(config)
                ? DeviceCertificateAuthority.fromConfig(config) : java.util.Optional.empty(), config))
        .compose(settings -> vertx.executeBlocking(() -> KafkaClients.producer(vertx, config, SPEC.name()))
            .map(p -> Map.entry(settings, p)))
        .compose(started -> {
          MqttSettings settings = started.getKey();
          producer = started.getValue();
          TelemetryWriter writer = new TelemetryWriter(producer, kafkaHealth, backlog, settings.maxPendingBytes(),
              settings.maxPendingRecords(), meters);
          DevicePresence presence = new DevicePresence(pool, writer, settings.statusIntervalMs());
          ownership = DeviceOwnership.create(vertx, RedisAPI.api(redis), config.nodeId());
          ownership.startRefreshing();
          LiveConnections live = LiveConnections.of(vertx);
          commands = new CommandReceiver(vertx, live, directory, config.nodeId(), meters);
          DeviceConnection.Shared shared = new DeviceConnection.Shared(settings, writer, presence,
              new SessionStore(vertx), quota, meters, config.nodeId(), ownership, live);
          DeviceGate gate = new DeviceGate(
              new DeviceAuthenticator(directory, new CredentialLookup(pool), quota, ConnectRate.of(vertx), settings),
              shared);
          directory.onCredentialsEnded(ExternalIds.MQTT, gate::credentialsEnded);
          upstreamSettings.ifPresent(up -> {
            upstream = new UpstreamLink(vertx, up, new UpstreamForwarder(directory, writer, meters, up));
            upstream.start();
          });
          return directory.listenForChanges()
              .compose(v -> commands.listen())
              .compose(v -> settings.plain()
                  ? listen(settings.plainOptions(), gate, MqttSettings.PORT).onSuccess(s -> plain = s)
                  : Future.succeededFuture())
              .compose(v -> settings.tlsEnabled()
                  ? listen(settings.tlsOptions(), gate, MqttSettings.TLS_PORT).onSuccess(s -> tls = s)
                  : Future.succeededFuture());
        })
        .onSuccess(v -> Readiness.of(vertx).register(KAFKA_CHECK, kafkaHealth::probe))
        .onFailure(err -> stop());
  }

  private Future<MqttServer> listen(MqttServerOptions options, DeviceGate gate, String key) {
    MqttServer server = MqttServer.create(vertx, options).endpointHandler(gate)
        .exceptionHandler(err -> { /* a broken client's packet: the endpoint closes, nothing to do here */ });
    return Listeners.explainBind(server.listen(), key, options.getHost(), options.getPort());
  }

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister(KAFKA_CHECK);
    if (ownership != null) {
      ownership.stopRefreshing();
    }
    Future<Void> servers = Future.all(close(plain), close(tls)).mapEmpty();
    return servers
        .eventually(() -> upstream == null ? Future.succeededFuture() : upstream.stop())
        .eventually(() -> commands == null ? Future.succeededFuture() : commands.close())
        .eventually(() -> directory == null ? Future.succeededFuture() : directory.close())
        .eventually(() -> producer == null ? Future.succeededFuture() : producer.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(() -> {
          if (redis != null) {
            redis.close();
          }
          return Future.succeededFuture();
        });
  }

  private static Future<Void> close(MqttServer server) {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The plain listener's port (the bound one when {@code mqtt.port} is 0); -1 when it is off or before start. */
  public int actualPort() {
    return plain == null ? -1 : plain.actualPort();
  }

  /** The TLS listener's port; -1 when TLS is off or before start. */
  public int actualTlsPort() {
    return tls == null ? -1 : tls.actualPort();
  }
}
