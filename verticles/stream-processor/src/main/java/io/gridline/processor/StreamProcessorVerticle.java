package io.gridline.processor;

import io.gridline.runtime.telemetry.DeadLetters;
import io.gridline.runtime.telemetry.DeadLetterRows;
import io.gridline.runtime.telemetry.SensorModelCatalog;
import io.gridline.runtime.telemetry.DatapointIndex;
import io.gridline.codecs.Codecs;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.TelemetryAddresses;
import io.gridline.runtime.BoundedRetry;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.Meters;
import io.gridline.runtime.Parking;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.Store;
import io.gridline.runtime.StoreClients;
import io.gridline.runtime.VerticleSpec;
import io.gridline.runtime.device.DeviceDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decodes raw controller telemetry (Kafka {@code gridline.telemetry.raw}) into values ({@code gridline.telemetry.decoded}),
 * {@code telemetry.decoded} events ({@code gridline.events}) and dead letters ({@code gridline.telemetry.dlq} +
 * {@code telemetry_dlq}). This class only wires; the journey of a record is {@link TelemetryHandler}.
 */
public final class StreamProcessorVerticle extends VerticleBase {
  public static final VerticleSpec SPEC = new VerticleSpec("stream-processor",
      Set.of(Store.KAFKA, Store.POSTGRES, Store.REDIS), StreamProcessorVerticle::new);
  static final String READINESS_CHECK = "verticle.stream-processor.partitions";
  private static final long STOP_DRAIN_MS = 10_000;

  private Pool pool;
  private Redis redis;
  private KafkaProducer<String, Buffer> producer;
  private KafkaConsumer<String, Buffer> consumer;
  private TelemetryIntake intake;
  private DeviceDirectory devices;
  private final List<Long> timers = new ArrayList<>();
  private final List<MessageConsumer<?>> listeners = new ArrayList<>();

  @Override
  public Future<?> start() {
    GridlineConfig config = GridlineConfig.of(config());
    ProcessorSettings settings = ProcessorSettings.from(config);
    MeterRegistry meters = Meters.registry();
    Codecs.registerAll(vertx);
    pool = StoreClients.pg(vertx, config);
    redis = StoreClients.redis(vertx, config);

    SensorModelCatalog models = new SensorModelCatalog(pool);
    DatapointIndex datapoints = new DatapointIndex(pool);
    devices = DeviceDirectory.create(vertx, pool, RedisAPI.api(redis),
        java.time.Duration.ofSeconds(settings.cacheTtlSeconds()));
    listeners.add(vertx.eventBus().consumer(TelemetryAddresses.SENSOR_MODEL_CHANGED, m -> models.reload()));

    return Future.all(models.reload(), datapoints.preload(), devices.listenForChanges())
        .compose(v -> vertx.executeBlocking(() -> {
          producer = KafkaClients.producer(vertx, config, SPEC.name());
          consumer = KafkaClients.consumer(vertx, config, SPEC.name());
          return null;
        }))
        .compose(v -> {
          DeadLetters deadLetters = new DeadLetters(producer, pool, new DeadLetterRows(vertx, pool),
              settings.dlqMaxRowsPerTenant(), settings.dlqMaxAge(), meters, "gridline.processor.rejected");
          TelemetryHandler handler = new TelemetryHandler(devices, models, datapoints,
              new EventThrottle(settings.eventsPerDeviceIntervalMs()), deadLetters, producer, meters);
          BoundedRetry retry = new BoundedRetry(vertx, new BoundedRetry.Policy(settings.maxAttempts(), 100, 5_000));
          Parking parking = new Parking(producer, Topics.TELEMETRY_PARKED, SPEC.name(), meters);
          intake = new TelemetryIntake(vertx, consumer, handler, retry, parking, settings.maxInFlight(), meters);
          timers.add(vertx.setPeriodic(settings.commitIntervalMs(), id -> intake.commit()));
          timers.add(vertx.setPeriodic(settings.modelsRefreshMs(), id -> models.reload()));
          timers.add(vertx.setPeriodic(60_000, id -> deadLetters.pruneOld()));
          timers.add(vertx.setPeriodic(1_000, id -> deadLetters.trimTenants()));
          Readiness.of(vertx).register(READINESS_CHECK, () -> intake.assigned()
              ? Future.succeededFuture()
              : Future.failedFuture("waiting for Kafka partitions of " + Topics.TELEMETRY_RAW));
          return intake.start(Topics.TELEMETRY_RAW);
        })
        .onFailure(err -> closeClients());
  }

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister(READINESS_CHECK);
    timers.forEach(vertx::cancelTimer);
    listeners.forEach(MessageConsumer::unregister);
    if (devices != null) {
      devices.close();
    }
    Future<Void> drained = intake == null ? Future.succeededFuture() : intake.stop(STOP_DRAIN_MS);
    return drained.eventually(this::closeClients);
  }

  private Future<Void> closeClients() {
    List<Future<?>> closing = new ArrayList<>();
    if (producer != null) {
      closing.add(producer.close());
    }
    if (consumer != null && intake == null) {
      closing.add(consumer.close());
    }
    if (redis != null) {
      redis.close();
    }
    if (pool != null) {
      closing.add(pool.close());
    }
    return Future.join(closing).mapEmpty();
  }
}
