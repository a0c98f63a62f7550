package io.gridline.sink;

import io.gridline.contracts.Topics;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.Meters;
import io.gridline.runtime.Parking;
import io.gridline.runtime.PgUrl;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.Store;
import io.gridline.runtime.StoreClients;
import io.gridline.runtime.VerticleSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores {@code gridline.telemetry.decoded} in {@code decoded_data} where {@code sink.pg-url} points, in batches, and
 * commits Kafka offsets only after the rows are committed. This class only wires; see the module README.
 */
public final class TimescaleSinkVerticle extends VerticleBase {
  public static final VerticleSpec SPEC =
      new VerticleSpec("timescale-sink", Set.of(Store.KAFKA, Store.POSTGRES), TimescaleSinkVerticle::new);
  private static final Logger log = LoggerFactory.getLogger(TimescaleSinkVerticle.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final int instance = INSTANCES.incrementAndGet();
  private final String readinessCheck = "verticle.timescale-sink.batches-" + instance;
  private Pool pool;
  private KafkaConsumer<String, Buffer> consumer;
  private KafkaProducer<String, Buffer> producer;
  private BatchCollector collector;
  private BatchPipeline pipeline;
  private WriteRetry retry;
  private ConsumerLag lag;

  @Override
  public Future<?> start() {
    GridlineConfig config = GridlineConfig.of(config());
    SinkSettings settings = SinkSettings.from(config);
    MeterRegistry meters = Meters.registry();
    String where = PgUrl.parse(config.string(settings.pgUrlKey())).display();
    pool = StoreClients.pg(vertx, config, settings.pgUrlKey(), "timescale-sink");
    SinkHealth health = new SinkHealth();

    return RetentionPolicy.apply(pool, settings.retention(), where)
        .compose(v -> vertx.executeBlocking(() -> {
          // the producer only parks the records decoded_data refuses (gridline.telemetry.parked)
          producer = KafkaClients.producer(vertx, config, SPEC.name());
          return KafkaClients.consumer(vertx, config, SPEC.name());
        }))
        .compose(created -> {
          consumer = created;
          retry = new WriteRetry(vertx, settings.retryBackoffMs(), settings.maxRetryBackoffMs(), settings.maxAttempts(),
              health, meters);
          DecodedDataWriter writer = new DecodedDataWriter();
          RefusedRecords refused = new RefusedRecords(pool, writer, retry,
              new Parking(producer, Topics.TELEMETRY_PARKED, SPEC.name(), meters));
          BatchHandler handler = new BatchHandler(pool, writer, retry, refused, new OffsetLedger(consumer), meters);
          pipeline = new BatchPipeline(consumer, handler, settings.maxBatchesInFlight());
          collector = new BatchCollector(vertx, new DecodedRecordReader(meters), settings.batchSize(),
              settings.lingerMs(), pipeline::submit);
          consumer.partitionsAssignedHandler(health::partitionsAssigned);
          consumer.exceptionHandler(err -> log.warn("Kafka consumer: {}", err.getMessage()));
          consumer.handler(collector::add);
          lag = new ConsumerLag(vertx, consumer, meters, String.valueOf(instance), ConsumerLag.PERIOD_MS);
          lag.start();
          Readiness.of(vertx).register(readinessCheck, health::probe);
          return consumer.subscribe(Topics.TELEMETRY_DECODED);
        })
        .onSuccess(v -> log.info("timescale-sink: {} → decoded_data on {} (batches of {} rows, linger {} ms)",
            Topics.TELEMETRY_DECODED, where, settings.batchSize(), settings.lingerMs()))
        .onFailure(err -> stop());
  }

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister(readinessCheck);
    Future<Void> drained = Future.succeededFuture();
    if (lag != null) {
      lag.stop();
    }
    if (pipeline != null) {
      retry.stop();
      drained = pipeline.drain(collector::seal);
    }
    return drained
        .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.close())
        .eventually(() -> producer == null ? Future.succeededFuture() : producer.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
