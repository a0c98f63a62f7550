package io.gridline.api;

import static io.gridline.api.ApiFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class DemoTenantTest {
  private static final Pattern KEY_LINE =
      Pattern.compile("Demo tenant API key \\(write\\): (glk_[A-Za-z0-9_-]{43})  \\(saved in (.+)\\)");

  @Test
  void demoTenantIsCreatedOnceWhateverHowManyInstancesStart(Vertx vertx, @TempDir Path dataDir) throws Exception {
    ApiFixture api = ApiFixture.database(vertx);
    Vertx otherNode = Vertx.vertx();
    JsonObject config = api.config().put("api.demo-tenant", true).put("devservices.data-dir", dataDir.toString());
    try {
      // Two instances on this node and one on another node (another Vert.x), all starting at once.
      String firstOutput = captureStdout(() -> await(Future.all(
          vertx.deployVerticle(ApiVerticle::new, new DeploymentOptions().setConfig(config).setInstances(2)),
          otherNode.deployVerticle(new ApiVerticle(), new DeploymentOptions().setConfig(config)))));

      Matcher m = KEY_LINE.matcher(firstOutput);
      assertTrue(m.find(), firstOutput);
      String token = m.group(1);
      Path keyFile = dataDir.resolve("demo-api-key");
      assertEquals(keyFile.toString(), m.group(2));
      assertFalse(m.find(), "the key is printed once: " + firstOutput);
      assertEquals(token, Files.readString(keyFile).trim());
      assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(keyFile));
      assertRegistry(api);

      // The key works, for the demo tenant's devices, in canonical form.
      ApiVerticle probe = api.deploy(api.config());
      JsonObject devices = api.call(probe.actualPort(), io.vertx.core.http.HttpMethod.GET, "/api/v1/devices", token, null)
          .bodyAsJsonObject();
      assertEquals(List.of("aa:bb:cc:dd:ee:01", "0102030405060708", "04AB373B", "LAB-001"),
          devices.getJsonArray("items").stream().map(d -> ((JsonObject) d).getString("externalId")).toList());
      assertEquals(List.of("faces2-01", "lora-sensor-01", "ap3000-pile-01", "spectrometer-01"),
          devices.getJsonArray("items").stream().map(d -> ((JsonObject) d).getString("name")).toList());
      assertEquals(List.of("mqtt", "lorawan", "charger", "instrument"),
          devices.getJsonArray("items").stream().map(d -> ((JsonObject) d).getString("kind")).toList());

      // A later start finds everything in place and only says where the key is.
      String laterOutput = captureStdout(() -> api.deploy(config));
      assertTrue(laterOutput.contains("Demo tenant API key saved in " + keyFile), laterOutput);
      assertFalse(laterOutput.contains("glk_"), laterOutput);
      assertEquals(token, Files.readString(keyFile).trim());
      assertRegistry(api);
    } finally {
      await(otherNode.close());
      api.close();
    }
  }

  private static void assertRegistry(ApiFixture api) {
    assertEquals(1, api.count("SELECT count(*) FROM tenants"));
    JsonObject tenant = api.row("SELECT json_build_object('id', id, 'name', name, 'max', max_devices) FROM tenants")
        .getJsonObject(0);
    assertEquals(DemoTenant.TENANT_ID.toString(), tenant.getString("id"));
    assertEquals("demo", tenant.getString("name"));
    assertEquals(100, tenant.getInteger("max"));
    assertEquals(4, api.count("SELECT count(*) FROM devices WHERE tenant_id = $1", DemoTenant.TENANT_ID));
    assertEquals(1, api.count("SELECT count(*) FROM api_keys WHERE tenant_id = $1 AND role = 'write'",
        DemoTenant.TENANT_ID));
  }

  /** Runs {@code action} with stdout copied into a buffer (and still shown), and returns what was printed. */
  private static String captureStdout(Runnable action) {
    PrintStream original = System.out;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new OutputStream() {
      @Override
      public synchronized void write(int b) {
        copy.write(b);
        original.write(b);
      }

      @Override
      public synchronized void write(byte[] b, int off, int len) {
        copy.write(b, off, len);
        original.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }
}
