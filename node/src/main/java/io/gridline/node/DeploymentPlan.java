package io.gridline.node;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.Store;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which verticles this node deploys and how many instances of each: {@code verticles} (empty = every registered
 * verticle) and {@code instances} ({@code name=N} items) resolved against the registry.
 */
record DeploymentPlan(List<Deployment> deployments) {

  /** One verticle to deploy. */
  record Deployment(RegisteredVerticle verticle, int instances) {
    String name() {
      return verticle.name();
    }
  }

  DeploymentPlan {
    deployments = List.copyOf(deployments);
  }

  /** @throws InvalidConfigException for an unknown verticle name (listing the known ones) or a bad instances item */
  static DeploymentPlan of(GridlineConfig config, List<RegisteredVerticle> registry) {
    Map<String, RegisteredVerticle> known = new LinkedHashMap<>();
    registry.forEach(v -> known.put(v.name(), v));
    List<String> wanted = config.list("verticles");
    if (wanted.isEmpty()) {
      wanted = List.copyOf(known.keySet());
    }
    Map<String, Integer> instances = instances(config.list("instances"), known);
    Map<String, Deployment> out = new LinkedHashMap<>();
    for (String name : wanted) {
      RegisteredVerticle v = known.get(name);
      if (v == null) {
        throw unknown(name, "verticles", known);
      }
      out.putIfAbsent(name, new Deployment(v, instances.getOrDefault(name, 1)));
    }
    for (String name : instances.keySet()) {
      if (!out.containsKey(name)) {
        throw new InvalidConfigException("instances names " + name + ", which this node does not deploy (verticles: "
            + String.join(",", out.keySet()) + ")");
      }
    }
    return new DeploymentPlan(List.copyOf(out.values()));
  }

  List<String> names() {
    return deployments.stream().map(Deployment::name).toList();
  }

  /** The stores the deployed verticles need, in a stable order. */
  Set<Store> stores() {
    Set<Store> stores = EnumSet.noneOf(Store.class);
    deployments.forEach(d -> stores.addAll(d.verticle().spec().stores()));
    return stores;
  }

  boolean deploys(String name) {
    return deployments.stream().anyMatch(d -> d.name().equals(name));
  }

  private static Map<String, Integer> instances(List<String> items, Map<String, RegisteredVerticle> known) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      String name = eq < 0 ? item : item.substring(0, eq).trim();
      int n;
      try {
        n = eq < 0 ? -1 : Integer.parseInt(item.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1) {
        throw new InvalidConfigException("invalid value for instances (--instances, env GRIDLINE_INSTANCES): expected "
            + "name=N with N >= 1, got '" + item + "'");
      }
      if (!known.containsKey(name)) {
        throw unknown(name, "instances", known);
      }
      out.put(name, n);
    }
    return out;
  }

  private static InvalidConfigException unknown(String name, String key, Map<String, RegisteredVerticle> known) {
    return new InvalidConfigException("unknown verticle '" + name + "' in " + key + "; known verticles: "
        + known.keySet().stream().collect(Collectors.joining(", ")));
  }
}
