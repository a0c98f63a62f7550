package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryAddresses;
import io.gridline.runtime.Store;
import io.gridline.runtime.VerticleSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two clustered nodes in one JVM with different verticle sets (A: api; B: api and a registry watcher), one Hazelcast
 * cluster and one event bus, external stores shared as in production.
 */
class ClusterTest {
  private static final Logger log = LoggerFactory.getLogger(ClusterTest.class);
  static final BlockingQueue<DeviceChanged> WATCHED = new LinkedBlockingQueue<>();
  private static Node a;
  private static Node b;
  private static Map<String, String> envA;
  private static Map<String, String> envB;

  /** Stands for a verticle that keeps a device cache: it hears every registry change, whichever node made it. */
  static final class RegistryWatcher extends VerticleBase {
    @Override
    public Future<?> start() {
      return vertx.eventBus().<DeviceChanged>consumer(RegistryAddresses.DEVICE_CHANGED, m -> WATCHED.add(m.body()))
          .completion();
    }
  }

  static final RegisteredVerticle WATCHER =
      RegisteredVerticle.of(new VerticleSpec("registry-watcher", Set.of(Store.POSTGRES), RegistryWatcher::new));

  @BeforeAll
  static void formCluster() {
    TestNodes.ClusterEnv cluster = TestNodes.cluster("node-test", "node-a", "node-b");
    envA = cluster.a();
    envB = cluster.b();
    List<RegisteredVerticle> registryB = new ArrayList<>(Verticles.ALL);
    registryB.add(WATCHER);

    long t0 = System.nanoTime();
    try {
      // A, the seed, first: B then joins it at once
      a = Node.start(new NodeOptions().setEnv(envA).setArgs("--cluster", "--verticles", "api")).await(90, TimeUnit.SECONDS);
      b = Node.start(new NodeOptions().setEnv(envB).setRegistry(registryB)
          .setArgs("--cluster", "--verticles", "api,registry-watcher")).await(90, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("cluster did not form in 90 s", e);
    }
    for (Node n : List.of(a, b)) {
      TestNodes.await(n.opsPort(), "/cluster", r -> TestNodes.json(r).getJsonArray("members").size() == 2,
          Duration.ofSeconds(30));
    }
    log.info("two-node cluster formed (both list both) in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void stopNodes() {
    TestNodes.stop(b);
    TestNodes.stop(a);
  }

  @Test
  void clusterEndpointOnEachNodeListsBothMembersWithTheirVerticles() {
    for (Node n : List.of(a, b)) {
      JsonArray members = TestNodes.json(TestNodes.get(n.opsPort(), "/cluster")).getJsonArray("members");
      assertEquals(2, members.size(), members.encode());
      JsonObject first = members.getJsonObject(0);
      JsonObject second = members.getJsonObject(1);
      assertEquals("node-a", first.getString("nodeId"));
      assertEquals("127.0.0.1:" + a.opsPort(), first.getString("address"));
      assertEquals(new JsonArray().add("api"), first.getJsonArray("verticles"));
      assertEquals("node-b", second.getString("nodeId"));
      assertEquals("127.0.0.1:" + b.opsPort(), second.getString("address"));
      assertEquals(new JsonArray().add("api").add("registry-watcher"), second.getJsonArray("verticles"));
    }
    assertTrue(!a.clusterNodeId().isEmpty() && !a.clusterNodeId().equals(b.clusterNodeId()));
  }

  @Test
  void aNodeThatDiedWithoutRemovingItsEntryIsNotListed() {
    JsonObject ghost = ClusterDirectory.toJson(new io.gridline.contracts.node.NodeInfo("node-ghost", "10.9.9.9:8081",
        UUID.randomUUID().toString(), List.of("api")));
    a.vertx().sharedData().<String, JsonObject>getAsyncMap(io.gridline.contracts.node.NodeAddresses.NODES_MAP)
        .compose(map -> map.put("node-ghost", ghost).compose(v -> map.size()))
        .onSuccess(size -> assertEquals(3, size))
        .await();
    JsonArray members = TestNodes.json(TestNodes.get(b.opsPort(), "/cluster")).getJsonArray("members");
    assertEquals(List.of("node-a", "node-b"), members.stream().map(m -> ((JsonObject) m).getString("nodeId")).toList());
  }

  @Test
  void aRecordSentOnOneNodeArrivesEqualOnTheOther() throws InterruptedException {
    WATCHED.clear();
    DeviceChanged sent = new DeviceChanged(42, UUID.randomUUID().toString(), "mqtt", "aa:bb:cc:dd:ee:ff",
        DeviceChanged.Change.UPDATED);
    a.vertx().eventBus().send(RegistryAddresses.DEVICE_CHANGED, sent);
    DeviceChanged received = WATCHED.poll(10, TimeUnit.SECONDS);
    assertEquals(sent, received);
  }

  @Test
  void aTenantKeyRevokedThroughOneNodeIsRefusedOnTheOtherAtOnce() {
    String admin = envA.get("GRIDLINE_API_ADMIN_KEY");
    int apiA = Integer.parseInt(envA.get("GRIDLINE_API_PORT"));
    int apiB = Integer.parseInt(envB.get("GRIDLINE_API_PORT"));
    JsonObject tenant = TestNodes.json(TestNodes.expect(201, TestNodes.api(apiA, "POST", "/api/v1/tenants", admin,
        new JsonObject().put("name", "cluster-test").put("maxDevices", 10))));
    String keysPath = "/api/v1/tenants/" + tenant.getString("id") + "/api-keys";
    JsonObject key = TestNodes.json(TestNodes.expect(201,
        TestNodes.api(apiA, "POST", keysPath, admin, new JsonObject().put("role", "read"))));
    String token = key.getString("key");

    TestNodes.expect(200, TestNodes.api(apiB, "GET", "/api/v1/devices", token, null));
    TestNodes.expect(204, TestNodes.api(apiA, "DELETE", keysPath + "/" + key.getString("id"), admin, null));
    TestNodes.expect(401, TestNodes.api(apiB, "GET", "/api/v1/devices", token, null));
  }
}
