package io.gridline.api;

import io.gridline.runtime.Store;
import io.gridline.runtime.VerticleSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Set;

/** Operator REST API on {@code api.port}. (Being built: routes arrive in the next commits.) */
public final class ApiVerticle extends VerticleBase {
  public static final VerticleSpec SPEC = new VerticleSpec("api", Set.of(Store.POSTGRES), ApiVerticle::new);

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
