package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Node#undeploy} and {@link Node#redeploy}: one verticle of a running node goes away and comes back. */
class NodeRedeployTest {

  @Test
  void aVerticleUndeployedIsReportedNotReadyAndServesAgainOnceRedeployed() throws Exception {
    var env = TestNodes.env();
    int apiPort = Integer.parseInt(env.get("GRIDLINE_API_PORT"));
    Node node = TestNodes.start(env, "--verticles", "api");
    try {
      TestNodes.await(node.opsPort(), "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(30));
      int before = node.vertx().deploymentIDs().size();

      node.undeploy("api").await(30, TimeUnit.SECONDS);
      assertEquals(before - 1, node.vertx().deploymentIDs().size());
      var unready = TestNodes.await(node.opsPort(), "/health/ready", r -> r.statusCode() == 503,
          Duration.ofSeconds(10));
      assertEquals("DOWN", NodeLifecycleTest.checks(TestNodes.json(unready)).get("verticle.api"), unready.body());
      assertThrows(Exception.class, () -> TestNodes.get(apiPort, "/api/v1/tenants")); // nothing listens

      // undeploying twice, or a verticle outside the plan, fails and changes nothing
      assertTrue(failure(node.undeploy("api")).contains("not deployed"));
      assertTrue(failure(node.redeploy("stream-processor")).contains("not in"));

      node.redeploy("api").await(30, TimeUnit.SECONDS);
      assertEquals(before, node.vertx().deploymentIDs().size());
      TestNodes.await(node.opsPort(), "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(10));
      assertEquals(401, TestNodes.get(apiPort, "/api/v1/tenants").statusCode()); // listening again, no key given
      assertTrue(failure(node.redeploy("api")).contains("already deployed"));
    } finally {
      TestNodes.stop(node);
    }
  }

  private static String failure(io.vertx.core.Future<Void> f) throws Exception {
    try {
      f.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return String.valueOf(e.getMessage());
    }
    throw new AssertionError("expected the call to fail");
  }
}
