package io.gridline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.runtime.PgUrl;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.Tokens;
import io.gridline.sql.Migrations;
import io.gridline.testkit.TestStores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A migrated fresh database, the api verticle on port 0 and an HTTP client: what every API test starts from. Calls
 * block the test thread (never a Vert.x thread) until the answer arrives.
 */
final class ApiFixture {
  final Vertx vertx;
  final String pgUrl;
  final String adminKey = Tokens.generate("gla_");
  /** {@code secrets.encryption-key} of every deployment, so tests can open what the API sealed. */
  final String encryptionKey = SecretBox.generateKey();
  final WebClient client;
  /** The test's own connection to the database, to check what the API stored. */
  final Pool db;
  private final List<String> deployments = new ArrayList<>();
  private ApiVerticle verticle;

  private ApiFixture(Vertx vertx, String pgUrl) {
    this.vertx = vertx;
    this.pgUrl = pgUrl;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
    this.db = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(PgUrl.parse(pgUrl).connectOptions())
        .using(vertx).build();
  }

  /** A fresh migrated database, without a running API. */
  static ApiFixture database(Vertx vertx) {
    String url = TestStores.pgUrl();
    PgUrl pg = PgUrl.parse(url);
    Migrations.migrate(pg.jdbcUrl(), pg.user(), pg.password());
    return new ApiFixture(vertx, url);
  }

  /** A fresh database and a running API with the default test config. */
  static ApiFixture start(Vertx vertx) {
    ApiFixture fixture = database(vertx);
    fixture.verticle = fixture.deploy(fixture.config());
    return fixture;
  }

  /** What the node would hand the verticle: the flat resolved config, here with port 0 and a small body limit. */
  JsonObject config() {
    return new JsonObject()
        .put("node.id", "test-node")
        .put("pg.url", pgUrl)
        .put("pg.pool-size", 8)
        .put("redis.url", TestStores.redisUrl())
        .put("api.host", "127.0.0.1")
        .put("api.port", 0)
        .put("api.admin-key", adminKey)
        .put("api.tls.cert-path", "")
        .put("api.tls.key-path", "")
        .put("api.max-body-bytes", 16_384)
        .put("api.demo-tenant", false)
        .put("devservices.data-dir", "./target/data")
        .put("secrets.encryption-key", encryptionKey);
  }

  ApiVerticle deploy(JsonObject config) {
    ApiVerticle v = new ApiVerticle();
    deployments.add(await(vertx.deployVerticle(v, new DeploymentOptions().setConfig(config))));
    return v;
  }

  ApiVerticle verticle() {
    return verticle;
  }

  void close() {
    for (String id : deployments) {
      await(vertx.undeploy(id));
    }
    deployments.clear();
    await(db.close());
    client.close();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 20 s", e);
    }
  }

  // ---- HTTP

  HttpResponse<Buffer> call(HttpMethod method, String path, String token, Object body) {
    return call(verticle.actualPort(), method, path, token, body);
  }

  HttpResponse<Buffer> call(int port, HttpMethod method, String path, String token, Object body) {
    return await(send(port, method, path, token, body));
  }

  Future<HttpResponse<Buffer>> send(HttpMethod method, String path, String token, Object body) {
    return send(verticle.actualPort(), method, path, token, body);
  }

  private Future<HttpResponse<Buffer>> send(int port, HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (body instanceof JsonObject json) {
      return request.sendJsonObject(json);
    }
    if (body instanceof String raw) {
      return request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(raw));
    }
    return request.send();
  }

  HttpResponse<Buffer> get(String path, String token) {
    return call(HttpMethod.GET, path, token, null);
  }

  HttpResponse<Buffer> post(String path, String token, Object body) {
    return call(HttpMethod.POST, path, token, body);
  }

  HttpResponse<Buffer> put(String path, String token, Object body) {
    return call(HttpMethod.PUT, path, token, body);
  }

  HttpResponse<Buffer> delete(String path, String token) {
    return call(HttpMethod.DELETE, path, token, null);
  }

  // ---- set-up shortcuts (each asserts its own success)

  JsonObject createTenant(String name, int maxDevices) {
    HttpResponse<Buffer> r = post("/api/v1/tenants", adminKey,
        new JsonObject().put("name", name).put("maxDevices", maxDevices));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** @return the new key's token */
  /** A tenant with a write and a read key, plus a write key of another tenant: the usual cast of a route test. */
  record TenantKeys(String tenantId, String writeKey, String readKey, String otherKey) {}

  TenantKeys tenantWithKeys(String name) {
    String tenant = createTenant(name, 100).getString("id");
    return new TenantKeys(tenant, createKey(tenant, "write"), createKey(tenant, "read"),
        createKey(createTenant("other-" + name, 100).getString("id"), "write"));
  }

  String createKey(String tenantId, String role) {
    HttpResponse<Buffer> r = post("/api/v1/tenants/" + tenantId + "/api-keys", adminKey,
        new JsonObject().put("role", role));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("key");
  }

  JsonObject createDevice(String token, String kind, String externalId, String name) {
    HttpResponse<Buffer> r = post("/api/v1/devices", token,
        new JsonObject().put("kind", kind).put("externalId", externalId).put("name", name));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  // ---- problem bodies

  /** Asserts a problem+json answer with this status and returns its body. */
  static JsonObject problem(HttpResponse<Buffer> r, int status) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(Problems.CONTENT_TYPE, r.getHeader("Content-Type"));
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(status, body.getInteger("status"));
    for (String field : List.of("type", "title", "detail")) {
      if (body.getString(field) == null || body.getString(field).isBlank()) {
        throw new AssertionError("problem without " + field + ": " + body);
      }
    }
    return body;
  }

  /** Asserts a 400 whose errors name exactly these fields, in any order. */
  static JsonObject invalid(HttpResponse<Buffer> r, String... fields) {
    JsonObject body = problem(r, 400);
    JsonArray errors = body.getJsonArray("errors");
    List<String> named = errors.stream().map(e -> ((JsonObject) e).getString("field")).sorted().toList();
    assertEquals(List.of(fields).stream().sorted().toList(), named, body.encode());
    errors.forEach(e -> {
      if (((JsonObject) e).getString("message", "").isBlank()) {
        throw new AssertionError("error without message: " + body);
      }
    });
    return body;
  }

  // ---- database checks

  Row row(String sql, Object... params) {
    var rows = await(db.preparedQuery(sql).execute(Tuple.wrap(params)));
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  long count(String sql, Object... params) {
    return row(sql, params).getLong(0);
  }
}
