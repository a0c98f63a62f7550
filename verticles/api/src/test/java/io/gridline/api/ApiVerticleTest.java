package io.gridline.api;

import static io.gridline.api.ApiFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.devservices.FreePorts;
import io.gridline.runtime.PortInUseException;
import io.gridline.runtime.Readiness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Start, listen, readiness and stop, as the node drives them. */
@ExtendWith(VertxExtension.class)
class ApiVerticleTest {
  private static ApiFixture db;
  private static Vertx vertx;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    db = ApiFixture.database(v);
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  private static Throwable deployFailure(JsonObject config) {
    return assertThrows(Throwable.class,
        () -> await(vertx.deployVerticle(new ApiVerticle(), new DeploymentOptions().setConfig(config))));
  }

  @Test
  void portZeroBindsAFreePortReportsReadyAndStopCloses() {
    ApiVerticle api = new ApiVerticle();
    assertEquals(-1, api.actualPort());
    String id = await(vertx.deployVerticle(api, new DeploymentOptions().setConfig(db.config())));
    int port = api.actualPort();
    assertTrue(port > 0, "bound port " + port);
    assertEquals(200, db.call(port, io.vertx.core.http.HttpMethod.GET, "/api/v1/openapi.json", null, null).statusCode());
    CheckResult ready = await(Readiness.of(vertx).checks().checkStatus(ApiVerticle.READINESS_CHECK));
    assertTrue(ready.getUp(), ready.toJson().encode());

    await(vertx.undeploy(id));
    assertThrows(Throwable.class,
        () -> db.call(port, io.vertx.core.http.HttpMethod.GET, "/api/v1/openapi.json", null, null));
    assertThrows(Throwable.class, () -> await(Readiness.of(vertx).checks().checkStatus(ApiVerticle.READINESS_CHECK)));
  }

  @Test
  void aTakenPortFailsStartNamingTheKey() throws Exception {
    int port = FreePorts.find();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      Throwable failure = deployFailure(db.config().put("api.port", port));
      PortInUseException e = assertInstanceOf(PortInUseException.class, failure);
      assertEquals("api.port", e.key());
      assertTrue(e.getMessage().contains("GRIDLINE_API_PORT") && e.getMessage().contains(String.valueOf(port)),
          e.getMessage());
    }
  }

  @Test
  void servesHttpsWithTheConfiguredCertificate() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    ApiVerticle api = new ApiVerticle();
    String id = await(vertx.deployVerticle(api, new DeploymentOptions().setConfig(db.config()
        .put("api.tls.cert-path", cert.certificatePath()).put("api.tls.key-path", cert.privateKeyPath()))));
    WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    try {
      HttpResponse<Buffer> r = await(https.get(api.actualPort(), "127.0.0.1", "/api/v1/tenants")
          .putHeader("Authorization", "Bearer " + db.adminKey).send());
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertThrows(Throwable.class,
          () -> db.call(api.actualPort(), io.vertx.core.http.HttpMethod.GET, "/api/v1/openapi.json", null, null)
              .statusCode());
    } finally {
      https.close();
      await(vertx.undeploy(id));
      cert.delete();
    }
  }

  @Test
  void halfATlsConfigIsRefused() {
    Throwable failure = deployFailure(db.config().put("api.tls.cert-path", "/nowhere/cert.pem"));
    assertTrue(failure.getMessage().contains("api.tls.key-path"), failure.getMessage());
  }
}
