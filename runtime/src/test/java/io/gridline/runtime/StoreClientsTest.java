package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.runtime.config.DeclaredKeys;
import io.gridline.testkit.TestStores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StoreClientsTest {

  /** Holds a pool like a verticle does and closes it when undeployed. */
  static final class PoolUser extends VerticleBase {
    Pool pool;

    @Override
    public Future<?> start() {
      pool = StoreClients.pg(vertx, GridlineConfig.of(config()));
      return pool.query("SELECT 1").execute();
    }

    @Override
    public Future<?> stop() {
      return pool.close();
    }
  }

  @Test
  void undeployingOneVerticleLeavesAnotherVerticlesPoolWorking() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      DeploymentOptions options = new DeploymentOptions().setConfig(DeclaredKeys.bundled().defaults()
          .put("pg.url", TestStores.pgUrl()).put("node.id", "test"));
      PoolUser first = new PoolUser();
      PoolUser second = new PoolUser();
      String firstId = vertx.deployVerticle(first, options).await(20, TimeUnit.SECONDS);
      vertx.deployVerticle(second, options).await(20, TimeUnit.SECONDS);

      vertx.undeploy(firstId).await(20, TimeUnit.SECONDS);

      int one = second.pool.query("SELECT 1").execute().await(20, TimeUnit.SECONDS).iterator().next().getInteger(0);
      assertEquals(1, one);
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }
}
