package io.gridline.runtime;

import io.vertx.core.Deployable;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How the node knows a verticle: its name (as given to {@code --verticles}), the stores it needs (started embedded
 * when their URL is unset on a single node) and how to make an instance.
 */
public record VerticleSpec(String name, Set<Store> stores, Supplier<? extends Deployable> factory) {
  public VerticleSpec {
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("verticle names are lower-case words joined by '-': " + name);
    }
    stores = Set.copyOf(stores);
  }
}
