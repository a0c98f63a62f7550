package io.gridline.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vertx.micrometer.backends.BackendRegistries;

/** The node's meter registry: the Prometheus registry when the node enabled metrics, else Micrometer's global one. */
public final class Meters {
  private Meters() {}

  public static MeterRegistry registry() {
    MeterRegistry r = BackendRegistries.getDefaultNow();
    return r != null ? r : Metrics.globalRegistry;
  }
}
