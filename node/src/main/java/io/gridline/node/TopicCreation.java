package io.gridline.node;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.KafkaTopics;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Kafka topics at start ({@link KafkaTopics#ensure}) and keeps trying while Kafka is down: a broker that is
 * unreachable does not stop the node, which starts unready instead ({@value #CHECK} down, with the last reason) until a
 * try succeeds or the node stops.
 */
final class TopicCreation {
  static final String CHECK = "store.kafka.topics";
  private static final Logger log = LoggerFactory.getLogger(TopicCreation.class);
  private static final long RETRY_MS = 5_000;

  private final Vertx vertx;
  private final GridlineConfig config;
  private final BooleanSupplier stopping;
  private final Promise<Void> created = Promise.promise();
  private volatile String lastError = "not created yet";

  private TopicCreation(Vertx vertx, GridlineConfig config, BooleanSupplier stopping) {
    this.vertx = vertx;
    this.config = config;
    this.stopping = stopping;
  }

  /**
   * Registers {@value #CHECK} and makes the first try; the future completes after that try, whether it created the
   * topics or left the retries running.
   *
   * @param stopping true once the node stops: no further try is scheduled
   */
  static Future<Void> start(Vertx vertx, GridlineConfig config, Readiness readiness, BooleanSupplier stopping) {
    TopicCreation topics = new TopicCreation(vertx, config, stopping);
    readiness.register(CHECK, () -> topics.created.future().isComplete() ? Future.succeededFuture()
        : Future.failedFuture(topics.lastError));
    return topics.attempt();
  }

  private Future<Void> attempt() {
    return vertx.executeBlocking(() -> KafkaTopics.ensure(config), false)
        .onSuccess(made -> {
          log.info("kafka: topics ready on {}{}", config.string(Store.KAFKA.urlKey()),
              made.isEmpty() ? "" : " (created " + String.join(", ", made) + ")");
          created.tryComplete();
        })
        .recover(err -> {
          lastError = Node.rootMessage(err);
          log.warn("kafka: {}; retrying in {} s", lastError, RETRY_MS / 1000);
          vertx.setTimer(RETRY_MS, t -> {
            if (!stopping.getAsBoolean()) {
              attempt();
            }
          });
          return Future.succeededFuture();
        })
        .mapEmpty();
  }
}
