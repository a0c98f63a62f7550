package io.gridline.api;

import io.gridline.api.devices.CertificateRepository;
import io.gridline.api.devices.CertificateRoutes;
import io.gridline.api.devices.CommandRoutes;
import io.gridline.runtime.command.CommandLedger;
import io.gridline.api.devices.CredentialRepository;
import io.gridline.api.devices.CredentialRoutes;
import io.gridline.api.devices.DeviceOwners;
import io.gridline.api.devices.DeviceRepository;
import io.gridline.api.devices.DeviceRoutes;
import io.gridline.api.devices.RegistryCache;
import io.gridline.api.devices.RegistryEvents;
import io.gridline.api.http.ApiRouter;
import io.gridline.api.http.Authenticator;
import io.gridline.api.http.OpenApiDocument;
import io.gridline.api.integrations.ChirpstackRoutes;
import io.gridline.api.integrations.IntegrationHandOver;
import io.gridline.api.lorawan.DownlinkQueueRoutes;
import io.gridline.api.lorawan.GatewayRepository;
import io.gridline.api.lorawan.GatewayRoutes;
import io.gridline.api.lorawan.LorawanDeviceRepository;
import io.gridline.api.lorawan.LorawanDeviceRoutes;
import io.gridline.api.telemetry.SensorModelRepository;
import io.gridline.api.telemetry.SensorModelRoutes;
import io.gridline.api.telemetry.TelemetryDlqRepository;
import io.gridline.api.telemetry.TelemetryDlqRoutes;
import io.gridline.api.telemetry.TelemetryRepository;
import io.gridline.api.telemetry.TelemetryRoutes;
import io.gridline.api.tenants.ApiKeyRepository;
import io.gridline.api.tenants.ApiKeyRoutes;
import io.gridline.api.tenants.TenantRepository;
import io.gridline.api.tenants.TenantRoutes;
import io.gridline.api.webhooks.WebhookDeliveryRepository;
import io.gridline.api.webhooks.WebhookDeliveryRoutes;
import io.gridline.api.webhooks.WebhookRepository;
import io.gridline.api.webhooks.WebhookRoutes;
import io.gridline.api.webhooks.WebhookSecrets;
import io.gridline.api.webhooks.WebhookApiSettings;
import io.gridline.codecs.Codecs;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.Listeners;
import io.gridline.runtime.Meters;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.Store;
import io.gridline.runtime.StoreClients;
import io.gridline.runtime.VerticleSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/**
 * Operator REST API on {@code api.port}: tenants and their API keys (admin key), devices, webhook subscriptions,
 * LoRaWAN resources and ChirpStack's integration (tenant keys), the OpenAPI document. Kafka is optional here: with
 * {@code kafka.bootstrap-servers} set (or another verticle of the node needing it) integration events are handed on. This class only wires; see the module README for routes, auth and config keys.
 */
public final class ApiVerticle extends VerticleBase {
  public static final VerticleSpec SPEC = new VerticleSpec("api", Set.of(Store.POSTGRES, Store.REDIS), ApiVerticle::new);
  static final String READINESS_CHECK = "verticle.api.postgres";

  private Pool pool;
  private Redis redis;
  /** For the integration routes; null when the node has no Kafka (kafka.bootstrap-servers unset). */
  private KafkaProducer<String, Buffer> producer;
  private TelemetryRepository telemetry;
  private Router router;
  private HttpServer server;

  @Override
  public Future<?> start() {
    GridlineConfig config = GridlineConfig.of(config());
    ApiSettings settings = ApiSettings.from(config);
    WebhookApiSettings webhookSettings = WebhookApiSettings.from(config);
    MeterRegistry meters = Meters.registry();
    Codecs.registerAll(vertx);
    pool = StoreClients.pg(vertx, config);

    TenantRepository tenants = new TenantRepository(pool);
    ApiKeyRepository keys = new ApiKeyRepository(pool);
    DeviceRepository devices = new DeviceRepository(pool);
    telemetry = TelemetryRepository.create(vertx, config, pool, settings.telemetryTimeout());
    redis = StoreClients.redis(vertx, config);
    RedisAPI redisApi = RedisAPI.api(redis);
    RegistryEvents events = new RegistryEvents(vertx.eventBus(), new RegistryCache(redisApi));
    CommandLedger commands = new CommandLedger(pool);
    LorawanDeviceRepository lorawanDevices = new LorawanDeviceRepository(pool, devices, redisApi,
        SecretBox.fromBase64(config.string("secrets.encryption-key")));
    Authenticator authenticator = new Authenticator(keys, settings.adminKey(), meters);

    Future<KafkaProducer<String, Buffer>> kafka = config.has(Store.KAFKA.urlKey())
        ? vertx.executeBlocking(() -> KafkaClients.producer(vertx, config, SPEC.name()))
        : Future.succeededFuture(null);
    return kafka
        .compose(p -> {
          producer = p;
          return OpenApiDocument.load(vertx);
        })
        .compose(openApi -> {
          router = ApiRouter.create(vertx, settings, authenticator, meters, endpoints -> {
            new TenantRoutes(tenants, events).mount(endpoints);
            new ApiKeyRoutes(tenants, keys, events).mount(endpoints);
            new DeviceRoutes(devices, events).mount(endpoints);
            new SensorModelRoutes(new SensorModelRepository(pool), vertx.eventBus()).mount(endpoints);
            new TelemetryDlqRoutes(new TelemetryDlqRepository(pool)).mount(endpoints);
            new CredentialRoutes(devices, new CredentialRepository(pool), events).mount(endpoints);
            new CommandRoutes(devices, new DeviceOwners(redisApi), vertx.eventBus(), commands).mount(endpoints);
            new CertificateRoutes(vertx, devices, new CertificateRepository(pool), events, config).mount(endpoints);
            new TelemetryRoutes(devices, telemetry, java.time.Clock.systemUTC(), settings.telemetryMaxRange())
                .mount(endpoints);
            WebhookRepository webhooks = new WebhookRepository(pool, new WebhookSecrets(webhookSettings.secrets()));
            new WebhookRoutes(vertx, webhooks, webhookSettings).mount(endpoints);
            new WebhookDeliveryRoutes(webhooks, new WebhookDeliveryRepository(pool), vertx.eventBus(),
                webhookSettings.replyTimeoutMs()).mount(endpoints);
            new GatewayRoutes(new GatewayRepository(pool), vertx.eventBus()).mount(endpoints);
            new LorawanDeviceRoutes(lorawanDevices, events).mount(endpoints);
            new DownlinkQueueRoutes(lorawanDevices, commands).mount(endpoints);
            new ChirpstackRoutes(devices, new IntegrationHandOver(producer), meters).mount(endpoints);
            openApi.mount(endpoints);
          });
          return settings.demoTenant()
              ? new DemoTenant(vertx, tenants, devices, keys, events, settings.dataDir()).ensure()
              : Future.succeededFuture();
        })
        .compose(v -> listen(settings))
        .onSuccess(v -> Readiness.of(vertx).register(READINESS_CHECK, () -> pool.query("SELECT 1").execute()))
        .onFailure(err -> telemetry.close().eventually(() -> pool.close()).eventually(this::closeProducer));
  }

  private Future<HttpServer> listen(ApiSettings settings) {
    Future<HttpServer> listening = vertx.createHttpServer(settings.serverOptions()).requestHandler(router).listen();
    return Listeners.explainBind(listening, "api.port", settings.host(), settings.port())
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister(READINESS_CHECK);
    redis.close();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> telemetry.close()).eventually(() -> pool.close()).eventually(this::closeProducer);
  }

  private Future<Void> closeProducer() {
    return producer == null ? Future.succeededFuture() : producer.close();
  }

  /** The port the API listens on (the bound one when {@code api.port} is 0); -1 before start. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** The routes, for tests that compare them with the OpenAPI document. */
  Router router() {
    return router;
  }
}
