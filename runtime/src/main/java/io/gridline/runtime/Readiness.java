package io.gridline.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.function.Supplier;

/**
 * The node's readiness checks, one per Vert.x instance. The node registers a check per deployed verticle and per
 * store; a verticle adds its own (e.g. "Kafka partitions assigned") with {@link #register}. {@code /health/ready}
 * answers 503 until every check is up.
 */
public final class Readiness implements Shareable {
  private static final String MAP = "gridline.readiness";
  private static final long CHECK_TIMEOUT_MS = 2_000;
  private final HealthChecks checks;

  private Readiness(HealthChecks checks) {
    this.checks = checks;
  }

  public static Readiness of(Vertx vertx) {
    LocalMap<String, Readiness> map = vertx.sharedData().getLocalMap(MAP);
    return map.computeIfAbsent("instance", k -> new Readiness(HealthChecks.create(vertx)));
  }

  /**
   * Registers a check named {@code name}: ready when the future succeeds; its failure message is shown as the reason.
   */
  public Readiness register(String name, Supplier<Future<?>> probe) {
    checks.register(name, CHECK_TIMEOUT_MS, promise -> {
      Future<?> f;
      try {
        f = probe.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> promise.tryComplete(ar.succeeded()
          ? Status.OK()
          : Status.KO(new io.vertx.core.json.JsonObject().put("reason", String.valueOf(ar.cause().getMessage())))));
    });
    return this;
  }

  public Readiness unregister(String name) {
    checks.unregister(name);
    return this;
  }

  public HealthChecks checks() {
    return checks;
  }
}
