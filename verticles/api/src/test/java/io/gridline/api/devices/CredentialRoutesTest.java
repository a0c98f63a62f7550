package io.gridline.api.devices;

import static io.gridline.api.ApiFixture.problem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.contracts.registry.RegistryAddresses;
import io.gridline.runtime.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CredentialRoutesTest {
  private static ApiFixture api;
  private static Vertx vertx;
  private static String writeKey;
  private static String readKey;
  private static String otherKey;

  @BeforeAll
  static void start(Vertx v) {
    vertx = v;
    api = ApiFixture.start(v);
    ApiFixture.TenantKeys keys = api.tenantWithKeys("credentials");
    String tenant = keys.tenantId();
    writeKey = keys.writeKey();
    readKey = keys.readKey();
    otherKey = keys.otherKey();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static String path(long id) {
    return "/api/v1/devices/" + id + "/credentials";
  }

  @Test
  void issuesASecretShownOnceAndStoresOnlyItsHash() {
    long id = api.createDevice(writeKey, "mqtt", "aa:bb:cc:00:00:01", "c1").getLong("id");
    HttpResponse<Buffer> r = api.post(path(id), writeKey, null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals("no-store", r.getHeader("Cache-Control"));
    String secret = r.bodyAsJsonObject().getString("secret");
    assertTrue(secret.matches("gld_[A-Za-z0-9_-]{43}"), secret);
    Row row = api.row("SELECT secret_hash, rotated_at FROM device_credentials WHERE device_id = $1", id);
    assertArrayEquals(Tokens.hash(secret), row.getBuffer(0).getBytes());
    assertNull(row.getValue(1));
  }

  @Test
  void callingAgainRotatesAndTellsTheBridges() throws Exception {
    long id = api.createDevice(writeKey, "mqtt", "aa:bb:cc:00:00:02", "c2").getLong("id");
    String first = api.post(path(id), writeKey, null).bodyAsJsonObject().getString("secret");
    BlockingQueue<DeviceChanged> changes = new LinkedBlockingQueue<>();
    MessageConsumer<DeviceChanged> consumer = vertx.eventBus().consumer(RegistryAddresses.DEVICE_CHANGED,
        m -> changes.add(m.body()));
    ApiFixture.await(consumer.completion());
    try {
      HttpResponse<Buffer> r = api.post(path(id), writeKey, null);
      assertEquals(201, r.statusCode(), r.bodyAsString());
      String second = r.bodyAsJsonObject().getString("secret");
      assertNotEquals(first, second);
      Row row = api.row("SELECT secret_hash, rotated_at FROM device_credentials WHERE device_id = $1", id);
      assertArrayEquals(Tokens.hash(second), row.getBuffer(0).getBytes());
      assertNotNull(row.getValue(1));
      DeviceChanged change = changes.poll(5, TimeUnit.SECONDS);
      assertNotNull(change);
      assertEquals(id, change.deviceId());
      assertEquals("aa:bb:cc:00:00:02", change.externalId());
    } finally {
      ApiFixture.await(consumer.unregister());
    }
  }

  @Test
  void anotherTenantsDeviceIsNotFoundAndReadKeysAreForbidden() {
    long id = api.createDevice(writeKey, "mqtt", "aa:bb:cc:00:00:03", "c3").getLong("id");
    problem(api.post(path(id), otherKey, null), 404);
    problem(api.post(path(id), readKey, null), 403);
    problem(api.post(path(id), null, null), 401);
    problem(api.post(path(999_999), writeKey, null), 404);
    problem(api.post("/api/v1/devices/abc/credentials", writeKey, null), 400);
    assertEquals(0L, api.count("SELECT count(*) FROM device_credentials WHERE device_id = $1", id));
  }
}
