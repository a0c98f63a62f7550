package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.runtime.VerticleSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ops endpoints' protection: {@code ops.token} guards everything but {@code /health/live}, and {@code ops.host}
 * binds them to an address of their own.
 */
class OpsServerTest {
  private static final List<String> GUARDED = List.of("/health/ready", "/metrics", "/cluster");

  /** A verticle without stores, so the node starts fast and ready. */
  static final class Idle extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }

  private static final RegisteredVerticle IDLE = RegisteredVerticle.of(new VerticleSpec("idle", Set.of(), Idle::new));

  private static Node start(Map<String, String> env) {
    return TestNodes.start(new NodeOptions().setEnv(env).setRegistry(List.of(IDLE)));
  }

  private static HttpResponse<String> get(String host, int port, String path, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return TestNodes.send(request);
  }

  @Test
  void withATokenEveryEndpointButLiveWantsIt() {
    Map<String, String> env = TestNodes.env();
    env.put("GRIDLINE_OPS_TOKEN", "ops-secret-1");
    Node node = start(env);
    try {
      int ops = node.opsPort();
      assertEquals(200, get("127.0.0.1", ops, "/health/live", null).statusCode(), "liveness probes need no secret");
      for (String path : GUARDED) {
        for (String wrong : new String[] {null, "Bearer ops-secret-2", "Bearer ops-secret-1x", "Bearer ops-secret",
            "Bearer ", "Basic b3BzLXNlY3JldC0x", "ops-secret-1"}) {
          HttpResponse<String> refused = get("127.0.0.1", ops, path, wrong);
          assertEquals(401, refused.statusCode(), path + " with " + wrong);
          assertEquals("Bearer realm=\"gridline-ops\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
          assertTrue(!refused.body().contains("gridline_") && !refused.body().contains("nodeId"), refused.body());
        }
        HttpResponse<String> allowed = get("127.0.0.1", ops, path, "Bearer ops-secret-1");
        assertEquals(200, allowed.statusCode(), path + ": " + allowed.body());
        assertEquals(200, get("127.0.0.1", ops, path, "bearer  ops-secret-1 ").statusCode(), "scheme is case-blind");
      }
      assertTrue(get("127.0.0.1", ops, "/metrics", "Bearer ops-secret-1").body().contains("gridline_node_verticles"));
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void withoutATokenEveryEndpointIsOpen() {
    Node node = start(TestNodes.env());
    try {
      for (String path : GUARDED) {
        assertEquals(200, get("127.0.0.1", node.opsPort(), path, null).statusCode(), path);
      }
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void opsHostBindsTheEndpointsToThatAddressOnly() {
    // 127.0.0.2 is loopback too on Linux, yet another address than the 127.0.0.1 the api listens on here
    Map<String, String> env = TestNodes.env();
    env.put("GRIDLINE_OPS_HOST", "127.0.0.2");
    Node node = start(env);
    try {
      assertEquals(200, get("127.0.0.2", node.opsPort(), "/health/live", null).statusCode());
      assertThrows(java.io.UncheckedIOException.class, () -> get("127.0.0.1", node.opsPort(), "/health/live", null));
    } finally {
      TestNodes.stop(node);
    }
  }
}
