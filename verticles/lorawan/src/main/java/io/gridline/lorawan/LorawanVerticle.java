package io.gridline.lorawan;

import io.gridline.contracts.Topics;
import io.gridline.contracts.lorawan.LorawanAddresses;
import io.gridline.contracts.telemetry.TelemetryAddresses;
import io.gridline.lorawan.downlink.DownlinkScheduler;
import io.gridline.lorawan.gateway.GatewayBackend;
import io.gridline.lorawan.gateway.GatewayEvents;
import io.gridline.lorawan.gateway.GatewayRouter;
import io.gridline.lorawan.gateway.UplinkFrame;
import io.gridline.lorawan.gateway.backend.mqtt.MqttBackend;
import io.gridline.lorawan.gateway.backend.mqtt.MqttBackendSettings;
import io.gridline.lorawan.gateway.backend.semtechudp.UdpBackend;
import io.gridline.lorawan.integration.chirpstack.ChirpstackEvents;
import io.gridline.lorawan.integration.chirpstack.ChirpstackSyncSettings;
import io.gridline.lorawan.integration.chirpstack.DeviceSync;
import io.gridline.lorawan.integration.chirpstack.IntegrationFeed;
import io.gridline.lorawan.joinserver.EmbeddedJoinServer;
import io.gridline.lorawan.maccommand.MacHandler;
import io.gridline.lorawan.storage.DeviceStatus;
import io.gridline.lorawan.storage.FrameStore;
import io.gridline.lorawan.storage.GatewayStore;
import io.gridline.lorawan.storage.SessionStore;
import io.gridline.lorawan.uplink.Dedup;
import io.gridline.lorawan.uplink.UplinkHandler;
import io.gridline.lorawan.uplink.UplinkTelemetry;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.Meters;
import io.gridline.runtime.Parking;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.Store;
import io.gridline.runtime.StoreClients;
import io.gridline.runtime.VerticleSpec;
import io.gridline.runtime.command.CommandLedger;
import io.gridline.runtime.device.DeviceDirectory;
import io.gridline.runtime.telemetry.DatapointIndex;
import io.gridline.runtime.telemetry.DeadLetterRows;
import io.gridline.runtime.telemetry.DeadLetters;
import io.gridline.runtime.telemetry.SensorModelCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LoRaWAN network server: gateways (Semtech UDP, ChirpStack gateway bridges over MQTT) → dedup → data uplinks and joins → sessions, frames, events,
 * telemetry → class A downlinks; and the events of an external ChirpStack the api accepted (Kafka
 * {@code gridline.lorawan.integration} → {@code integration/chirpstack}). This class only wires; a frame can be followed folder by folder (see the module
 * README). One instance per node holds the UDP port.
 */
public final class LorawanVerticle extends VerticleBase {
  public static final VerticleSpec SPEC =
      new VerticleSpec("lorawan", Set.of(Store.POSTGRES, Store.REDIS, Store.KAFKA), LorawanVerticle::new);
  private static final Logger log = LoggerFactory.getLogger(LorawanVerticle.class);
  /** How often the telemetry DLQ rows this verticle added are cut back to the per-tenant bound. */
  private static final long DLQ_TRIM_MS = 1_000;

  private Pool pool;
  private Redis redis;
  private KafkaProducer<String, Buffer> producer;
  private DeviceDirectory devices;
  private GatewayRouter router;
  private UdpBackend udp;
  private MqttBackend mqtt;
  private IntegrationFeed integration;
  private DeviceSync chirpstackSync;
  private LorawanMeters meters;
  private final List<Long> timers = new ArrayList<>();
  private final List<MessageConsumer<?>> listeners = new ArrayList<>();

  @Override
  public Future<?> start() {
    GridlineConfig config = GridlineConfig.of(config());
    LorawanSettings settings = LorawanSettings.from(config);
    ChirpstackSyncSettings chirpstack = ChirpstackSyncSettings.from(config);
    MqttBackendSettings gatewayBroker = MqttBackendSettings.from(config);
    SecretBox box = SecretBox.fromBase64(config.string("secrets.encryption-key"));
    MeterRegistry registry = Meters.registry();
    meters = new LorawanMeters(registry);
    pool = StoreClients.pg(vertx, config, Store.POSTGRES.urlKey(), SPEC.name());
    redis = StoreClients.redis(vertx, config);
    RedisAPI redisApi = RedisAPI.api(redis);
    devices = DeviceDirectory.create(vertx, pool, redisApi, DeviceDirectory.ttl(config));
    SensorModelCatalog models = new SensorModelCatalog(pool);
    DatapointIndex datapoints = new DatapointIndex(pool);
    GatewayStore gateways = new GatewayStore(pool);
    SessionStore sessions = new SessionStore(pool, redis, box);
    listeners.add(vertx.eventBus().consumer(TelemetryAddresses.SENSOR_MODEL_CHANGED, m -> models.reload()));
    listeners.add(vertx.eventBus().consumer(LorawanAddresses.GATEWAY_CHANGED, m -> gateways.reload()));

    return vertx.executeBlocking(() -> KafkaClients.producer(vertx, config, SPEC.name()))
        .compose(p -> {
          producer = p;
          return vertx.executeBlocking(() -> KafkaClients.consumer(vertx, config, SPEC.name()));
        })
        .compose(consumer -> {
          DeviceEvents events = new DeviceEvents(producer);
          List<GatewayBackend> backends = new ArrayList<>();
          router = new GatewayRouter(vertx, redisApi, config.nodeId(), backends);
          DownlinkScheduler downlinks = new DownlinkScheduler(new CommandLedger(pool), sessions, router, events,
              settings, meters);
          DeadLetters deadLetters = new DeadLetters(producer, pool, new DeadLetterRows(vertx, pool),
              settings.dlqMaxRowsPerTenant(), settings.dlqMaxAge(), registry, "gridline.lorawan.rejected");
          timers.add(vertx.setPeriodic(DLQ_TRIM_MS, id -> deadLetters.trimTenants()));
          timers.add(vertx.setPeriodic(settings.modelsRefreshMs(), id -> models.reload()));
          timers.add(vertx.setPeriodic(GatewayStore.RELOAD_MS, id -> gateways.reload()));
          FrameStore frames = new FrameStore(pool, settings.framesPerDevice());
          UplinkTelemetry telemetry = new UplinkTelemetry(devices, models, datapoints, deadLetters, producer);
          DeviceStatus status = new DeviceStatus(pool, settings.statusIntervalMs());
          UplinkHandler uplinks = new UplinkHandler(new Dedup(vertx, redis, settings.dedupWindowMs()), sessions,
              frames, status, new MacHandler(pool, registry), events, downlinks,
              new EmbeddedJoinServer(pool, box, settings.netId()), telemetry, settings, meters, new SecureRandom());
          integration = new IntegrationFeed(vertx, consumer, new ChirpstackEvents(pool, frames,
              status, events, telemetry, meters),
              new Parking(producer, Topics.LORAWAN_INTEGRATION_PARKED, SPEC.name(), registry),
              settings.integrationMaxAttempts());
          GatewayEvents gatewayEvents = new GatewayEvents() {
            @Override
            public void uplink(UplinkFrame frame) {
              uplinks.receive(frame);
            }

            @Override
            public void txAck(String gatewayId, String downlinkId, Optional<String> error) {
              downlinks.txAck(gatewayId, downlinkId, error);
            }
          };
          if (settings.udpPort() >= 0) {
            udp = new UdpBackend(vertx, settings.host(), settings.udpPort(), settings.udpReceiveBufferBytes(),
                settings.acceptUnknownGateways(),
                gateways, gatewayEvents, router::held, meters);
            backends.add(udp);
          }
          if (gatewayBroker.enabled()) {
            mqtt = new MqttBackend(vertx, gatewayBroker, settings.acceptUnknownGateways(), gateways, gatewayEvents,
                router::held, meters);
            backends.add(mqtt);
          }
          return Future.all(models.reload(), datapoints.preload(), devices.listenForChanges(), gateways.reload(),
              router.start());
        })
        .compose(v -> integration.start())
        .onSuccess(v -> {
          if (chirpstack.apiUrl().isPresent()) {
            chirpstackSync = new DeviceSync(vertx, pool, redisApi, box, chirpstack, registry, config.nodeId());
            chirpstackSync.start();
          }
        })
        .compose(v -> udp == null ? Future.succeededFuture() : udp.start())
        .compose(v -> mqtt == null ? Future.succeededFuture() : mqtt.start())
        .onSuccess(v -> log.info("lorawan: network server for NetID {} (dedup window {} ms, RX1 delay {} s)",
            settings.netId().hex(), settings.dedupWindowMs(), settings.rx1DelaySeconds()))
        .onFailure(err -> stop());
  }

  /** The gateway-bridge MQTT backend, when {@code lorawan.mqtt.enabled} (tests wait for its subscriptions). */
  public Optional<MqttBackend> mqttBackend() {
    return Optional.ofNullable(mqtt);
  }

  /** The Semtech UDP port bound (tests; 0 in the config means any free port); -1 when off. */
  public int udpPort() {
    return udp == null ? -1 : udp.port();
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    Future<?> listening = Future.all(listeners.stream().map(MessageConsumer::unregister).toList());
    return listening
        .eventually(() -> udp == null ? Future.succeededFuture() : udp.stop())
        .eventually(() -> mqtt == null ? Future.succeededFuture() : mqtt.stop())
        .eventually(() -> integration == null ? Future.succeededFuture() : integration.stop())
        .eventually(() -> chirpstackSync == null ? Future.succeededFuture() : chirpstackSync.stop())
        .eventually(() -> router == null ? Future.succeededFuture() : router.stop())
        .eventually(() -> devices == null ? Future.succeededFuture() : devices.close())
        .eventually(() -> producer == null ? Future.succeededFuture() : producer.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .onComplete(ar -> {
          if (redis != null) {
            redis.close();
          }
        });
  }
}
