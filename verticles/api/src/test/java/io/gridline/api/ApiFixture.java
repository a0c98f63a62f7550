package io.gridline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.api.http.Problems;
import io.gridline.runtime.PgUrl;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.Tokens;
import io.gridline.testkit.VerticleFixture;
import io.gridline.testkit.Waits;
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
import java.util.List;

/**
 * The kit's verticle fixture for the api (a migrated fresh database, real Redis, the node's config with port 0 and a
 * small body limit) on the test's Vert.x, plus an HTTP client: what every API test starts from. Calls block the test
 * thread (never a Vert.x thread) until the answer arrives.
 */
public final class ApiFixture extends VerticleFixture<ApiVerticle> {
  public final String adminKey;
  /** {@code secrets.encryption-key} of every deployment, so tests can open what the API sealed. */
  public final String encryptionKey;
  public final WebClient client;
  /** The test's own connection to the database, to check what the API stored. */
  public final Pool db;
  private ApiVerticle verticle;

  private ApiFixture(Vertx vertx, String adminKey, String encryptionKey) {
    super(setup(ApiVerticle.SPEC).vertx(vertx)
        .with("api.host", "127.0.0.1")
        .with("api.port", 0)
        .with("api.admin-key", adminKey)
        .with("api.max-body-bytes", 16_384)
        .with("devservices.data-dir", "./target/data")
        .with("secrets.encryption-key", encryptionKey));
    this.adminKey = adminKey;
    this.encryptionKey = encryptionKey;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
    this.db = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(PgUrl.parse(pgUrl).connectOptions())
        .using(vertx).build();
  }

  /** A fresh migrated database, without a running API. */
  public static ApiFixture database(Vertx vertx) {
    return new ApiFixture(vertx, Tokens.generate("gla_"), SecretBox.generateKey());
  }

  /** A fresh database and a running API with the default test config. */
  public static ApiFixture start(Vertx vertx) {
    ApiFixture fixture = database(vertx);
    fixture.verticle = fixture.deploy(fixture.config());
    return fixture;
  }

  /** A fresh database and a running API with the test config plus {@code overrides} (e.g. a Kafka to hand on to). */
  public static ApiFixture start(Vertx vertx, JsonObject overrides) {
    ApiFixture fixture = database(vertx);
    fixture.verticle = fixture.deploy(fixture.config().mergeIn(overrides));
    return fixture;
  }

  public ApiVerticle verticle() {
    return verticle;
  }

  /** Undeploys what the test deployed and closes the fixture's clients; the test's Vert.x stays open. */
  @Override
  public void close() {
    undeployAll();
    await(db.close());
    client.close();
    super.close();
  }

  public static <T> T await(Future<T> future) {
    return Waits.await(future);
  }

  // ---- HTTP

  public HttpResponse<Buffer> call(HttpMethod method, String path, String token, Object body) {
    return call(verticle.actualPort(), method, path, token, body);
  }

  public HttpResponse<Buffer> call(int port, HttpMethod method, String path, String token, Object body) {
    return await(send(port, method, path, token, body));
  }

  public Future<HttpResponse<Buffer>> send(HttpMethod method, String path, String token, Object body) {
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

  public HttpResponse<Buffer> get(String path, String token) {
    return call(HttpMethod.GET, path, token, null);
  }

  public HttpResponse<Buffer> post(String path, String token, Object body) {
    return call(HttpMethod.POST, path, token, body);
  }

  public HttpResponse<Buffer> put(String path, String token, Object body) {
    return call(HttpMethod.PUT, path, token, body);
  }

  public HttpResponse<Buffer> delete(String path, String token) {
    return call(HttpMethod.DELETE, path, token, null);
  }

  // ---- set-up shortcuts (each asserts its own success)

  public JsonObject createTenant(String name, int maxDevices) {
    HttpResponse<Buffer> r = post("/api/v1/tenants", adminKey,
        new JsonObject().put("name", name).put("maxDevices", maxDevices));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** @return the new key's token */
  /** A tenant with a write and a read key, plus a write key of another tenant: the usual cast of a route test. */
  public record TenantKeys(String tenantId, String writeKey, String readKey, String otherKey) {}

  public TenantKeys tenantWithKeys(String name) {
    String tenant = createTenant(name, 100).getString("id");
    return new TenantKeys(tenant, createKey(tenant, "write"), createKey(tenant, "read"),
        createKey(createTenant("other-" + name, 100).getString("id"), "write"));
  }

  public String createKey(String tenantId, String role) {
    HttpResponse<Buffer> r = post("/api/v1/tenants/" + tenantId + "/api-keys", adminKey,
        new JsonObject().put("role", role));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("key");
  }

  public JsonObject createDevice(String token, String kind, String externalId, String name) {
    HttpResponse<Buffer> r = post("/api/v1/devices", token,
        new JsonObject().put("kind", kind).put("externalId", externalId).put("name", name));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  // ---- problem bodies

  /** Asserts a problem+json answer with this status and returns its body. */
  public static JsonObject problem(HttpResponse<Buffer> r, int status) {
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
  public static JsonObject invalid(HttpResponse<Buffer> r, String... fields) {
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

  public Row row(String sql, Object... params) {
    var rows = await(db.preparedQuery(sql).execute(Tuple.wrap(params)));
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  public long count(String sql, Object... params) {
    return row(sql, params).getLong(0);
  }
}
