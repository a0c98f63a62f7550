package io.gridline.node;

import io.gridline.devservices.FreePorts;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.Tokens;
import io.gridline.testkit.TestStores;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Starting in-process nodes against the test stores, and talking HTTP to them. */
final class TestNodes {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private TestNodes() {}

  /**
   * The environment of a node with external stores (a fresh database), its own data dir, generated secrets, a free
   * api port and an ephemeral ops port.
   */
  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("GRIDLINE_NODE_ID", "test-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("GRIDLINE_PG_URL", TestStores.pgUrl());
    env.put("GRIDLINE_REDIS_URL", TestStores.redisUrl());
    env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", TestStores.kafkaBootstrap());
    env.put("GRIDLINE_SECRETS_ENCRYPTION_KEY", SecretBox.generateKey());
    env.put("GRIDLINE_API_ADMIN_KEY", Tokens.generate(Tokens.API_KEY_PREFIX));
    env.put("GRIDLINE_API_PORT", Integer.toString(FreePorts.find()));
    env.put("GRIDLINE_API_HOST", "127.0.0.1");
    env.put("GRIDLINE_OPS_PORT", "0");
    env.put("GRIDLINE_MQTT_PORT", "0"); // 1883 is often held by a local broker
    env.put("GRIDLINE_LORAWAN_UDP_PORT", "0"); // tests run side by side: any free UDP port
    env.put("GRIDLINE_MQTT_HOST", "127.0.0.1");
    env.put("GRIDLINE_OPS_HOST", "127.0.0.1");
    env.put("GRIDLINE_DEVSERVICES_DATA_DIR", tempDir("gridline-node-test-").toString());
    return env;
  }

  /** The environments of two nodes of one new cluster on 127.0.0.1 over the same stores: A the seed, B joining it. */
  record ClusterEnv(Map<String, String> a, Map<String, String> b) {}

  static ClusterEnv cluster(String name, String nodeA, String nodeB) {
    Map<String, String> shared = env();
    shared.put("GRIDLINE_CLUSTER_NAME", name + "-" + UUID.randomUUID());
    shared.put("GRIDLINE_CLUSTER_HOST", "127.0.0.1");
    int portA = FreePorts.find();
    int portB = FreePorts.find();
    Map<String, String> a = new HashMap<>(shared);
    // A is the seed: alone in its member list it forms the cluster at once; B finds it there. (A member listed but not
    // yet listening costs Hazelcast's 5 s connection timeout before a node settles for being alone.)
    a.put("GRIDLINE_CLUSTER_MEMBERS", "127.0.0.1:" + portA);
    a.put("GRIDLINE_NODE_ID", nodeA);
    a.put("GRIDLINE_CLUSTER_PORT", Integer.toString(portA));
    Map<String, String> b = new HashMap<>(shared);
    b.put("GRIDLINE_CLUSTER_MEMBERS", "127.0.0.1:" + portA + ",127.0.0.1:" + portB);
    b.put("GRIDLINE_NODE_ID", nodeB);
    b.put("GRIDLINE_CLUSTER_PORT", Integer.toString(portB));
    b.put("GRIDLINE_API_PORT", Integer.toString(FreePorts.find()));
    b.put("GRIDLINE_DEVSERVICES_DATA_DIR", tempDir("gridline-" + name + "-b-").toString());
    return new ClusterEnv(a, b);
  }

  static Node start(Map<String, String> env, String... args) {
    return start(new NodeOptions().setEnv(env).setArgs(args));
  }

  static Node start(NodeOptions options) {
    try {
      return Node.start(options).await(90, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("node did not start in 90 s", e);
    }
  }

  static void stop(Node node) {
    if (node != null) {
      try {
        node.stop().await(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("node did not stop in 60 s", e);
      }
    }
  }

  /** A new tenant (through the api on {@code apiPort}, as the admin) and a write key of it: the key. */
  static String tenantWriteKey(int apiPort, String admin, String name) {
    JsonObject tenant = json(expect(201, api(apiPort, "POST", "/api/v1/tenants", admin,
        new JsonObject().put("name", name).put("maxDevices", 10))));
    return json(expect(201, api(apiPort, "POST", "/api/v1/tenants/" + tenant.getString("id") + "/api-keys", admin,
        new JsonObject().put("role", "write")))).getString("key");
  }

  static HttpResponse<String> get(int port, String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
  }

  /** A bearer-authenticated API call, JSON body when {@code body} is not null. */
  static HttpResponse<String> api(int port, String method, String path, String bearer, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + bearer)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return send(request);
  }

  /** Asserts the status, showing the request and body on failure. */
  static HttpResponse<String> expect(int status, HttpResponse<String> response) {
    org.junit.jupiter.api.Assertions.assertEquals(status, response.statusCode(),
        response.request().method() + " " + response.uri() + ": " + response.body());
    return response;
  }

  static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  /** Polls until the response satisfies the condition; returns that response. */
  static HttpResponse<String> await(int port, String path, Predicate<HttpResponse<String>> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(port, path);
        if (condition.test(last)) {
          return last;
        }
      } catch (UncheckedIOException notYet) {
        // not listening yet
      }
      sleep(50);
    }
    throw new AssertionError("GET " + path + " did not reach the expected state in " + timeout + "; last: "
        + (last == null ? "no answer" : last.statusCode() + " " + last.body()));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
