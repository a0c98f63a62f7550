package io.gridline.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's own meters: {@code gridline_node_verticles{verticle}} (deployed instances, 0 once undeployed) and
 * {@code gridline_node_start_seconds} (how long the last start took, from launch to the ops server listening).
 */
final class NodeMeters {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> instances = new ConcurrentHashMap<>();
  private final AtomicLong startMillis = new AtomicLong();
  private final List<Meter> meters = new ArrayList<>();

  NodeMeters(MeterRegistry registry) {
    this.registry = registry;
    meters.add(Gauge.builder("gridline.node.start", startMillis, v -> v.get() / 1000.0)
        .description("Seconds the node took to start, from launch to its ops endpoints listening")
        .baseUnit("seconds")
        .register(registry));
  }

  void deployed(String verticle, int count) {
    instances.computeIfAbsent(verticle, name -> {
      AtomicLong value = new AtomicLong();
      meters.add(Gauge.builder("gridline.node.verticles", value, AtomicLong::get)
          .description("Instances of each verticle deployed on this node")
          .tag("verticle", name)
          .register(registry));
      return value;
    }).set(count);
  }

  void undeployed(String verticle) {
    AtomicLong value = instances.get(verticle);
    if (value != null) {
      value.set(0);
    }
  }

  void started(long millis) {
    startMillis.set(millis);
  }

  /** Removes this node's meters (the registry outlives a node when several run in one JVM, as in tests). */
  void remove() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
