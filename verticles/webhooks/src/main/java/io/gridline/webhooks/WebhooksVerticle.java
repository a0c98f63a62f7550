package io.gridline.webhooks;

import io.gridline.contracts.Topics;
import io.gridline.contracts.webhooks.DeliveryRequest;
import io.gridline.contracts.webhooks.WebhookAddresses;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.Meters;
import io.gridline.runtime.Parking;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.Store;
import io.gridline.runtime.StoreClients;
import io.gridline.runtime.VerticleSpec;
import io.gridline.runtime.WebhookTargets;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook push: Kafka {@code gridline.events} → outbox rows in {@code webhook_deliveries} → signed POSTs to
 * the subscriptions' URLs, retried with backoff, dead-lettered after the limit. This class only wires; see the module
 * README.
 */
public final class WebhooksVerticle extends VerticleBase {
  public static final VerticleSpec SPEC =
      new VerticleSpec("webhooks", Set.of(Store.KAFKA, Store.POSTGRES), WebhooksVerticle::new);
  /** How often the backlog gauge counts due rows, and stale endpoints are forgotten. */
  static final long BACKLOG_PERIOD_MS = 5_000;
  private static final Logger log = LoggerFactory.getLogger(WebhooksVerticle.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** Threads for the SSRF guard's DNS lookups, shared by the instances of a node: a hanging resolver holds only these. */
  private static final int DNS_THREADS = 8;

  private final int instance = INSTANCES.incrementAndGet();
  private final String readinessCheck = "verticle.webhooks.events-" + instance;
  private final WebhookTargets.Resolver resolver;
  private WebhooksSettings settings;
  private Pool pool;
  private EventFeed feed;
  private KafkaProducer<String, Buffer> parkedProducer;
  private DeliveryScheduler scheduler;
  private WebhookSender sender;
  private EndpointGate gate;
  private WebhooksMeters metrics;
  private MessageConsumer<DeliveryRequest> deliverNow;
  private LeaseKeeper leases;
  private WorkerExecutor dnsWorkers;
  private long backlogTimer = -1;

  public WebhooksVerticle() {
    this(InetAddress::getAllByName);
  }

  /** With another DNS resolver for the SSRF guard: tests (a slow resolver). */
  WebhooksVerticle(WebhookTargets.Resolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Future<?> start() {
    GridlineConfig config = GridlineConfig.of(config());
    settings = WebhooksSettings.from(config);
    SecretBox secrets = SecretBox.fromBase64(config.string("secrets.encryption-key"));
    WebhookTargets targets = WebhookTargets.fromConfig(config, resolver);
    MeterRegistry meters = Meters.registry();
    pool = StoreClients.pg(vertx, config, Store.POSTGRES.urlKey(), "webhooks");
    metrics = new WebhooksMeters(meters, String.valueOf(instance));
    gate = new EndpointGate(settings.maxConcurrencyPerEndpoint(), settings.circuitFailureThreshold(),
        settings.circuitOpenMs(), meters, String.valueOf(instance));
    DeliveryStore store = new DeliveryStore(pool, settings.leaseMs());
    leases = new LeaseKeeper(vertx, store, settings);
    dnsWorkers = vertx.createSharedWorkerExecutor("gridline-webhooks-dns", DNS_THREADS);
    TargetCheck targetCheck = new TargetCheck(vertx, targets, dnsWorkers, settings.dnsTimeoutMs());

    return vertx.executeBlocking(() -> WebhookSender.trustOptions(vertx, settings.trustPath()))
        .compose(trust -> {
          sender = new WebhookSender(vertx, settings.timeoutMs(), settings.maxConcurrencyPerEndpoint(), trust);
          DeliveryAttempt attempt = new DeliveryAttempt(targetCheck, secrets, sender, store, leases, settings, metrics);
          scheduler = new DeliveryScheduler(vertx, store, attempt, leases, gate, targets, settings);
          return vertx.executeBlocking(() -> {
            parkedProducer = KafkaClients.producer(vertx, config, SPEC.name());
            return KafkaClients.consumer(vertx, config, SPEC.name());
          });
        })
        .compose(consumer -> {
          Parking parking = new Parking(parkedProducer, Topics.EVENTS_PARKED, SPEC.name(), meters);
          feed = new EventFeed(vertx, consumer, pool, new OutboxWriter(), parking, settings.feedMaxAttempts(),
              scheduler::wake, meters);
          Readiness.of(vertx).register(readinessCheck, feed::probe);
          deliverNow = vertx.eventBus().consumer(WebhookAddresses.DELIVER_NOW, this::deliverNow);
          backlogTimer = vertx.setPeriodic(BACKLOG_PERIOD_MS, t -> {
            store.backlog().onSuccess(metrics::backlog);
            scheduler.forgetStaleEndpoints();
          });
          leases.start();
          scheduler.start();
          return feed.start();
        })
        .onSuccess(v -> log.info("webhooks: {} → webhook_deliveries → subscribers ({} in flight, {} per endpoint, "
                + "timeout {} ms, lease {} ms, {} attempts)", Topics.EVENTS, settings.concurrency(),
            settings.maxConcurrencyPerEndpoint(), settings.timeoutMs(), settings.leaseMs(), settings.maxAttempts()))
        .onFailure(err -> stop());
  }

  private void deliverNow(Message<DeliveryRequest> message) {
    DeliveryRequest request = message.body();
    UUID tenant;
    try {
      tenant = UUID.fromString(request.tenantId());
    } catch (IllegalArgumentException e) {
      message.fail(400, "tenantId is not a UUID");
      return;
    }
    scheduler.deliverNow(request.deliveryId(), tenant).onComplete(ar -> {
      if (ar.failed()) {
        message.fail(500, "delivery " + request.deliveryId() + " could not be attempted: " + ar.cause().getMessage());
      } else if (ar.result() == null) {
        message.fail(404, "no delivery " + request.deliveryId() + " for this tenant");
      } else {
        message.reply(ar.result());
      }
    });
  }

  /**
   * Stops reading events (the poll in hand is stored and committed), stops claiming, lets attempts in flight finish
   * within a whole attempt's time (those that do not are no longer renewed: their lease runs out and they are retried),
   * then closes the HTTP client and the pool.
   */
  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister(readinessCheck);
    vertx.cancelTimer(backlogTimer);
    Future<Void> consumerGone = deliverNow == null ? Future.succeededFuture() : deliverNow.unregister();
    Future<Void> feedStopped = feed == null ? Future.succeededFuture() : feed.stop();
    Future<Void> attemptsDone = scheduler == null ? Future.succeededFuture()
        : scheduler.stop(settings.stopGraceMs());
    return Future.join(consumerGone, feedStopped, attemptsDone)
        .onComplete(ar -> {
          if (leases != null) {
            leases.stop();
          }
        })
        .eventually(() -> feed == null ? Future.succeededFuture() : feed.close())
        .eventually(() -> parkedProducer == null ? Future.succeededFuture() : parkedProducer.close())
        .eventually(() -> sender == null ? Future.succeededFuture() : sender.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(() -> dnsWorkers == null ? Future.succeededFuture() : dnsWorkers.close())
        .onComplete(ar -> {
          if (gate != null) {
            gate.close();
          }
          if (metrics != null) {
            metrics.close();
          }
        });
  }
}
