package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.devservices.EmbeddedRedis;
import io.gridline.devservices.FreePorts;
import io.gridline.runtime.Store;
import io.gridline.runtime.VerticleSpec;
import io.gridline.testkit.TestStores;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code /health/ready} follows the stores a deployed verticle uses: down while its Redis is down, up once it is back. */
class ReadinessTest {

  /** A verticle that needs Redis and does nothing else: readiness comes from the node's store check alone. */
  static final class RedisUser extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }

  static final RegisteredVerticle REDIS_USER =
      RegisteredVerticle.of(new VerticleSpec("redis-user", Set.of(Store.REDIS), RedisUser::new));
  static final RegisteredVerticle KAFKA_USER =
      RegisteredVerticle.of(new VerticleSpec("kafka-user", Set.of(Store.KAFKA), RedisUser::new));

  @Test
  void readyIs503WhileAStoreIsDownAnd200OnceItIsUp() {
    EmbeddedRedis redis = TestStores.ownRedis();
    redis.close();
    Map<String, String> env = TestNodes.env();
    env.put("GRIDLINE_REDIS_URL", redis.url());
    Node node = TestNodes.start(new NodeOptions().setEnv(env).setRegistry(List.of(REDIS_USER)));
    try {
      int ops = node.opsPort();
      var down = TestNodes.get(ops, "/health/ready");
      assertEquals(503, down.statusCode(), down.body());
      Map<String, String> checks = NodeLifecycleTest.checks(TestNodes.json(down));
      assertEquals("DOWN", checks.get("store.redis"));
      assertEquals("UP", checks.get("verticle.redis-user"));
      assertEquals(null, checks.get("store.postgres"), "only the stores deployed verticles use are checked");

      TestStores.restart(redis);
      var up = TestNodes.await(ops, "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(20));
      assertEquals("UP", NodeLifecycleTest.checks(TestNodes.json(up)).get("store.redis"));
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void kafkaCheckAsksTheBrokerForItsClusterAndTopicsAreCreated() throws Exception {
    Map<String, String> env = TestNodes.env();
    env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.find());
    Node absent = TestNodes.start(new NodeOptions().setEnv(env).setRegistry(List.of(KAFKA_USER)));
    try {
      var down = TestNodes.get(absent.opsPort(), "/health/ready");
      assertEquals(503, down.statusCode(), down.body());
      assertEquals("DOWN", NodeLifecycleTest.checks(TestNodes.json(down)).get("store.kafka"));
      assertEquals("DOWN", NodeLifecycleTest.checks(TestNodes.json(down)).get("store.kafka.topics"),
          "a node whose broker is down starts unready and keeps trying to create its topics");
    } finally {
      TestNodes.stop(absent);
    }
    env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", TestStores.kafkaBootstrap());
    Node present = TestNodes.start(new NodeOptions().setEnv(env).setRegistry(List.of(KAFKA_USER)));
    try {
      var up = TestNodes.await(present.opsPort(), "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(20));
      assertEquals("UP", NodeLifecycleTest.checks(TestNodes.json(up)).get("store.kafka"));
      assertEquals("UP", NodeLifecycleTest.checks(TestNodes.json(up)).get("store.kafka.topics"));
      try (var admin = org.apache.kafka.clients.admin.Admin.create(
          Map.<String, Object>of("bootstrap.servers", TestStores.kafkaBootstrap()))) {
        var topics = admin.listTopics().names().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(true, topics.containsAll(io.gridline.contracts.Topics.ALL), "topics: " + topics);
      }
    } finally {
      TestNodes.stop(present);
    }
  }
}
