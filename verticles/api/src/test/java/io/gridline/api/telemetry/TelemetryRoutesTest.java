package io.gridline.api.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.api.ApiFixture;
import io.gridline.api.http.Problems;
import io.gridline.runtime.PgUrl;
import io.gridline.sql.Migrations;
import io.gridline.testkit.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Telemetry reads: points, buckets, latest, validation, limits (range, statement timeout) and tenant isolation, with the
 * time series in its own database.
 */
@ExtendWith(VertxExtension.class)
class TelemetryRoutesTest {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static ApiFixture api;
  private static Pool series;
  private static int port;
  /** The same api with api.telemetry.statement-timeout PT0.3S. */
  private static int impatientPort;
  private static String readKey;
  private static String otherKey;
  private static long deviceId;
  private static long quietDeviceId;

  @BeforeAll
  static void start(Vertx vertx) {
    api = ApiFixture.database(vertx);
    // the time series in a second database, as with sink.pg-url pointing at a separate TimescaleDB
    String seriesUrl = TestStores.pgUrl();
    PgUrl pg = PgUrl.parse(seriesUrl);
    Migrations.migrateTimeseries(pg.jdbcUrl(), pg.user(), pg.password());
    series = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(pg.connectOptions()).using(vertx)
        .build();
    // the fuzz test sends hundreds of requests with one key: no rate limit here
    JsonObject config = api.config().put("sink.pg-url", seriesUrl).put("api.rate-limit", 0);
    port = api.deploy(config).actualPort();
    impatientPort = api.deploy(config.copy().put("api.telemetry.statement-timeout", "PT0.3S")).actualPort();

    String tenant = post("/api/v1/tenants", api.adminKey, new JsonObject().put("name", "acme").put("maxDevices", 10))
        .getString("id");
    String writeKey = createKey(tenant, "write");
    readKey = createKey(tenant, "read");
    deviceId = post("/api/v1/devices", writeKey, new JsonObject().put("kind", "mqtt")
        .put("externalId", "aa:bb:cc:dd:ee:01").put("name", "one")).getLong("id");
    quietDeviceId = post("/api/v1/devices", writeKey, new JsonObject().put("kind", "mqtt")
        .put("externalId", "aa:bb:cc:dd:ee:02").put("name", "quiet")).getLong("id");
    String other = post("/api/v1/tenants", api.adminKey, new JsonObject().put("name", "other").put("maxDevices", 10))
        .getString("id");
    otherKey = createKey(other, "read");

    sql(api.db, "INSERT INTO datapoints (label, unit) VALUES ('sensor-1.temperature', '°C'), ('sensor-1.humidity', '%RH'), "
        + "('sensor-9.dense', '')");
    // temperature: one point every 10 s for 10 minutes from T0, value = minute + second/100
    sql(series, "INSERT INTO decoded_data SELECT timestamptz '2026-11-01 10:00:00+00' + s * interval '10 seconds', "
        + deviceId + ", 1, (s / 6) + (s % 6) * 0.1 FROM generate_series(0, 59) s");
    sql(series, "INSERT INTO decoded_data VALUES ('2026-11-01 09:00:00+00', " + deviceId + ", 2, 40.5), "
        + "('2026-11-01 09:30:00+00', " + deviceId + ", 2, 41.5)");
    // a dense series: 10,001 points in 10,001 ms
    sql(series, "INSERT INTO decoded_data SELECT timestamptz '2026-11-01 12:00:00+00' + s * interval '1 millisecond', "
        + deviceId + ", 3, s FROM generate_series(0, 10000) s");
    // recent data for the default range
    sql(series, "INSERT INTO decoded_data VALUES (now() - interval '30 minutes', " + deviceId + ", 2, 50), "
        + "(now() - interval '2 hours', " + deviceId + ", 2, 49)");
  }

  @AfterAll
  static void stop() {
    ApiFixture.await(series.close());
    api.close();
  }

  private static void sql(Pool pool, String sql) {
    ApiFixture.await(pool.query(sql).execute());
  }

  private static JsonObject post(String path, String token, JsonObject body) {
    HttpResponse<Buffer> r = api.call(port, HttpMethod.POST, path, token, body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static String createKey(String tenant, String role) {
    return post("/api/v1/tenants/" + tenant + "/api-keys", api.adminKey, new JsonObject().put("role", role))
        .getString("key");
  }

  private static HttpResponse<Buffer> get(String path, String token) {
    return api.call(port, HttpMethod.GET, path, token, null);
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String series(long device, String query) {
    return "/api/v1/devices/" + device + "/telemetry?" + query;
  }

  @Test
  void pointsOfOneLabelInAHalfOpenRangeOldestFirst() {
    HttpResponse<Buffer> r = get(series(deviceId, "label=sensor-1.temperature&from=" + q("2026-11-01T10:00:50Z")
        + "&to=" + q("2026-11-01T11:01:10+01:00")), readKey);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(deviceId, body.getLong("deviceId"));
    assertEquals("sensor-1.temperature", body.getString("label"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("t", "2026-11-01T10:00:50.000Z").put("v", 0.5))
        .add(new JsonObject().put("t", "2026-11-01T10:01:00.000Z").put("v", 1.0)), body.getJsonArray("points"));
  }

  @Test
  void bucketsAggregateAvgMinMaxCount() {
    HttpResponse<Buffer> r = get(series(deviceId, "label=sensor-1.temperature&bucket=PT1M&from="
        + q("2026-11-01T10:00:00Z") + "&to=" + q("2026-11-01T10:02:00Z")), readKey);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray buckets = r.bodyAsJsonObject().getJsonArray("buckets");
    assertEquals(2, buckets.size(), buckets.encode());
    JsonObject second = buckets.getJsonObject(1);
    assertEquals("2026-11-01T10:01:00.000Z", second.getString("t"));
    assertEquals(1.0, second.getDouble("min"), 1e-9);
    assertEquals(1.5, second.getDouble("max"), 1e-9);
    assertEquals(1.25, second.getDouble("avg"), 1e-9);
    assertEquals(6, second.getLong("count"));
    assertEquals("PT1M", r.bodyAsJsonObject().getString("bucket"));
  }

  @Test
  void theDefaultRangeIsTheLastHourAndAnUnknownLabelIsEmpty() {
    JsonObject body = get(series(deviceId, "label=sensor-1.humidity"), readKey).bodyAsJsonObject();
    assertEquals(1, body.getJsonArray("points").size(), body.encode());
    assertEquals(50.0, body.getJsonArray("points").getJsonObject(0).getDouble("v"));
    HttpResponse<Buffer> unknown = get(series(deviceId, "label=sensor-7.nothing"), readKey);
    assertEquals(200, unknown.statusCode());
    assertEquals(new JsonArray(), unknown.bodyAsJsonObject().getJsonArray("points"));
  }

  @Test
  void latestGivesTheNewestValuePerLabelWithItsUnit() {
    HttpResponse<Buffer> r = get("/api/v1/devices/" + deviceId + "/telemetry/latest", readKey);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray values = r.bodyAsJsonObject().getJsonArray("values");
    assertEquals(3, values.size(), values.encode());
    assertEquals("sensor-1.humidity", values.getJsonObject(0).getString("label"));
    assertEquals(50.0, values.getJsonObject(0).getDouble("v"));
    assertEquals("%RH", values.getJsonObject(0).getString("unit"));
    assertEquals(new JsonObject().put("label", "sensor-1.temperature").put("t", "2026-11-01T10:09:50.000Z")
        .put("v", 9.5).put("unit", "°C"), values.getJsonObject(1));
    assertEquals("2026-11-01T12:00:10.000Z", values.getJsonObject(2).getString("t"));
    JsonObject quiet = get("/api/v1/devices/" + quietDeviceId + "/telemetry/latest", readKey).bodyAsJsonObject();
    assertEquals(new JsonObject().put("deviceId", quietDeviceId).put("values", new JsonArray()), quiet);
  }

  @Test
  void badParametersAreNamed() {
    ApiFixture.invalid(get(series(deviceId, "from=" + q("2026-11-01T10:00:00Z") + "&to=" + q("2026-11-01T11:00:00Z")),
        readKey), "label");
    ApiFixture.invalid(get(series(deviceId, "label=x&from=yesterday&to=2026-13-01"), readKey), "from", "to");
    ApiFixture.invalid(get(series(deviceId, "label=x&bucket=1m"), readKey), "bucket");
    ApiFixture.invalid(get(series(deviceId, "label=x&from=" + q("2026-11-01T10:00:00Z") + "&to="
        + q("2026-11-01T10:00:00Z")), readKey), "from");
    ApiFixture.invalid(get(series(0, "label=x"), readKey), "id");
  }

  @Test
  void moreThanTenThousandPointsOrBucketsAsksToNarrowTheRange() {
    String range = "&from=" + q("2026-11-01T12:00:00Z") + "&to=" + q("2026-11-01T12:00:11Z");
    JsonObject tooMany = ApiFixture.invalid(get(series(deviceId, "label=sensor-9.dense" + range), readKey), "from");
    assertTrue(tooMany.getString("detail").contains("narrow"), tooMany.encode());
    JsonObject tooFine = ApiFixture.invalid(get(series(deviceId, "label=sensor-9.dense&bucket=PT0.001S" + range),
        readKey), "bucket");
    assertTrue(tooFine.getString("detail").contains("narrow"), tooFine.encode());
    HttpResponse<Buffer> bucketed = get(series(deviceId, "label=sensor-9.dense&bucket=PT1S" + range), readKey);
    assertEquals(200, bucketed.statusCode(), bucketed.bodyAsString());
    assertEquals(11, bucketed.bodyAsJsonObject().getJsonArray("buckets").size());
    HttpResponse<Buffer> exactly = get(series(deviceId, "label=sensor-9.dense&from=" + q("2026-11-01T12:00:00Z")
        + "&to=" + q("2026-11-01T12:00:10Z")), readKey);
    assertEquals(10_000, exactly.bodyAsJsonObject().getJsonArray("points").size());
  }

  @Test
  void aRangeWiderThanMaxRangeIsA400NamingTheLimit() {
    JsonObject tooWide = ApiFixture.invalid(get(series(deviceId, "label=sensor-1.temperature&bucket=P1D&from="
        + q("2026-01-01T00:00:00Z") + "&to=" + q("2026-02-01T00:00:01Z")), readKey), "from");
    assertTrue(tooWide.getString("detail").contains("api.telemetry.max-range (PT744H)"), tooWide.encode());
    ApiFixture.invalid(get(series(deviceId, "label=sensor-1.temperature&bucket=P32D"), readKey), "bucket");
    HttpResponse<Buffer> widest = get(series(deviceId, "label=sensor-1.temperature&bucket=P1D&from="
        + q("2026-10-05T00:00:00Z") + "&to=" + q("2026-11-05T00:00:00Z")), readKey);
    assertEquals(200, widest.statusCode(), widest.bodyAsString());
    assertEquals(60, widest.bodyAsJsonObject().getJsonArray("buckets").getJsonObject(0).getLong("count"));
  }

  @Test
  void aQueryPastTheStatementTimeoutIsA504AndTheNextOneRunsAgain() throws Exception {
    SqlConnection locker = ApiFixture.await(series.getConnection());
    try {
      ApiFixture.await(locker.begin());
      // a query that cannot finish: decoded_data is locked until the rollback
      ApiFixture.await(locker.query("LOCK TABLE decoded_data IN ACCESS EXCLUSIVE MODE").execute());
      for (String path : List.of(series(deviceId, "label=sensor-1.temperature&bucket=PT1M"),
          series(deviceId, "label=sensor-1.temperature"), "/api/v1/devices/" + deviceId + "/telemetry/latest")) {
        long t0 = System.nanoTime();
        HttpResponse<Buffer> r = api.call(impatientPort, HttpMethod.GET, path, readKey, null);
        JsonObject problem = ApiFixture.problem(r, 504);
        assertTrue(problem.getString("type").endsWith("query-timeout"), problem.encode());
        assertTrue(problem.getString("detail").contains("api.telemetry.statement-timeout (PT0.3S)"), problem.encode());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "answered after the timeout, not after the lock");
      }
    } finally {
      ApiFixture.await(locker.close());
    }
    HttpResponse<Buffer> after = api.call(impatientPort, HttpMethod.GET,
        series(deviceId, "label=sensor-1.temperature&bucket=PT1M&from=" + q("2026-11-01T10:00:00Z")
            + "&to=" + q("2026-11-01T10:02:00Z")), readKey, null);
    assertEquals(200, after.statusCode(), after.bodyAsString());
  }

  @Test
  void fuzzedQueryParametersAre400NeverA500() {
    List<String> times = List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "10000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "-0001-12-31T00:00:00Z", "2026-11-01T10:00:00+18:00",
        "2026-11-01T10:00:00-18:00", "2026-02-30T00:00:00Z", "2026-11-01T10:00:00Z", "2026-11-01T10:05:00Z", "",
        "99999999999999999999", "-1", "1e308", "NaN", "P1D", "2026-11-01", "%zz", "%00");
    List<String> buckets = List.of("PT0S", "PT-1S", "-PT1S", "PT0.0001S", "PT0.001S", "PT1.5S", "PT1M", "P1D", "P31D",
        "P1Y", "P106751991167300D", "PT9223372036854775807S", "PT9223372036854775808S", "P9999999999D",
        "PT99999999999999999999H", "PT2562047788015215H", "", "0", "-0");
    List<String> labels = List.of("sensor-1.temperature", "x", "", "a".repeat(129), "%00", "sensor-9.dense");
    List<String> ids = List.of(Long.toString(deviceId), "0", "-1", "2147483647", "2147483648", "99999999999999999999",
        "1e3", "%00");
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 400; i++) {
      StringBuilder query = new StringBuilder("label=").append(pick(random, labels));
      if (random.nextBoolean()) {
        query.append("&from=").append(encodeTime(pick(random, times)));
      }
      if (random.nextBoolean()) {
        query.append("&to=").append(encodeTime(pick(random, times)));
      }
      if (random.nextBoolean()) {
        query.append("&bucket=").append(pick(random, buckets));
      }
      String id = random.nextInt(4) == 0 ? pick(random, ids) : Long.toString(deviceId);
      String path = random.nextInt(10) == 0 ? "/api/v1/devices/" + id + "/telemetry/latest?" + query
          : "/api/v1/devices/" + id + "/telemetry?" + query;
      HttpResponse<Buffer> r = get(path, readKey);
      assertTrue(r.statusCode() == 200 || r.statusCode() == 400 || r.statusCode() == 404, path + " gave "
          + r.statusCode() + ": " + r.bodyAsString());
      if (r.statusCode() != 200) {
        assertEquals(Problems.CONTENT_TYPE, r.getHeader("Content-Type"), path + " gave " + r.statusCode());
      }
    }
  }

  private static String pick(java.util.Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Times are sent URL-encoded (a + is a space otherwise), except the two that are meant to be broken escapes. */
  private static String encodeTime(String t) {
    return t.startsWith("%") ? t : q(t);
  }

  @Test
  void anotherTenantsDeviceIsNotFound() {
    ApiFixture.problem(get(series(deviceId, "label=sensor-1.temperature"), otherKey), 404);
    ApiFixture.problem(get("/api/v1/devices/" + deviceId + "/telemetry/latest", otherKey), 404);
    ApiFixture.problem(get(series(deviceId, "label=sensor-1.temperature"), null), 401);
  }
}
