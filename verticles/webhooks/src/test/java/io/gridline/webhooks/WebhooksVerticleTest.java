package io.gridline.webhooks;

import static io.gridline.testkit.Waits.await;
import static io.gridline.testkit.Waits.sleep;
import static io.gridline.testkit.Waits.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.contracts.webhooks.DeliveryOutcome;
import io.gridline.contracts.webhooks.DeliveryRequest;
import io.gridline.contracts.webhooks.WebhookAddresses;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.gridline.contracts.ParkedHeaders;
import io.gridline.contracts.Topics;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.WebhookTargets;
import java.io.IOException;
import java.net.InetAddress;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Real Kafka, real PostgreSQL, real HTTP receivers on 127.0.0.1. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksVerticleTest {
  private WebhooksFixture f;
  private final List<Receiver> receivers = new ArrayList<>();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeAll
  void start() {
    Metrics.addRegistry(meters);
    f = new WebhooksFixture();
  }

  private double deliveries(String outcome) {
    var c = meters.find("gridline.webhooks.deliveries").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @AfterAll
  void close() {
    f.close();
    Metrics.removeRegistry(meters);
  }

  @AfterEach
  void cleanUp() {
    f.undeploy();
    f.execute("UPDATE webhook_subscriptions SET active = false");
    receivers.forEach(Receiver::close);
    receivers.clear();
  }

  private Receiver receiver(java.util.function.IntUnaryOperator status, long delayMs) {
    Receiver r = new Receiver(f.receivers, status, delayMs);
    receivers.add(r);
    return r;
  }

  // ---- TLS: a private CA generated for the test, its certificate in a PEM file for webhooks.tls.trust-path

  private DeviceCertificateAuthority testCa;
  private Path trustPath;

  private synchronized DeviceCertificateAuthority testCa() {
    if (testCa == null) {
      try {
        Path dir = Files.createTempDirectory("webhooks-tls");
        dir.toFile().deleteOnExit();
        testCa = DeviceCertificateAuthority.loadOrGenerate(dir);
        trustPath = Files.writeString(dir.resolve("receivers-ca.pem"), testCa.caPem());
        dir.resolve("device-ca.crt.pem").toFile().deleteOnExit();
        dir.resolve("device-ca.key.pem").toFile().deleteOnExit();
        trustPath.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return testCa;
  }

  /** An https receiver on 127.0.0.1 whose certificate (signed by the test CA) names {@code dnsNames} and {@code ips}. */
  private Receiver httpsReceiver(List<String> dnsNames, List<String> ips) {
    DeviceCertificateAuthority.Issued cert = testCa().issueServer(dnsNames, ips);
    HttpServerOptions tls = new HttpServerOptions().setSsl(true).setSni(true)
        .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(Buffer.buffer(cert.privateKeyPem()))
            .setCertValue(Buffer.buffer(cert.certificatePem())));
    Receiver r = new Receiver(f.receivers, n -> 200, 0, tls);
    receivers.add(r);
    return r;
  }

  /**
   * The fixture's config with a 5 s timeout: a client's first TLS handshake builds its SSL context (the JDK's CAs and
   * the file's), which can take more than the fixture's 1 s on a busy 2-core machine.
   */
  private JsonObject tlsConfig(boolean trustTheTestCa) {
    JsonObject config = f.config().put("webhooks.timeout-ms", 5_000);
    return trustTheTestCa ? config.put("webhooks.tls.trust-path", trustPath.toString()) : config;
  }

  private String lastError(UUID subscription) {
    return f.text("SELECT last_error FROM webhook_deliveries WHERE subscription_id = '" + subscription + "'");
  }

  /** What a receiver does, written independently of the code under test. */
  private static String hmacHex(String secret, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  private long rows(UUID subscription, String status) {
    return f.count("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = '" + subscription + "'"
        + (status == null ? "" : " AND status = '" + status + "'"));
  }

  @Test
  void signedDeliveryVerifiesAtTheReceiver() throws Exception {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribeWith(tenant, r.url(), "whsec_test", null, null,
        "{\"Authorization\":\"Bearer abc\",\"X-Gridline-Event\":\"forged\",\"Content-Type\":\"text/plain\"}",
        "device.*");
    f.deploy(f.config());
    DeviceEvent e = f.event(tenant, "device.online", 7);
    f.send(e);
    until("one success", 20_000, () -> rows(sub, "succeeded") == 1);

    assertEquals(1, r.requests.size());
    Receiver.Request got = r.requests.get(0);
    assertEquals(KafkaCodecs.DEVICE_EVENT.encode(e).toString(), got.body());
    assertEquals(new JsonObject(got.body()).getString("eventId"), e.eventId());
    assertEquals("application/json", got.header("Content-Type"));
    assertEquals("device.online", got.header("X-Gridline-Event"));
    assertEquals(e.eventId(), got.header("X-Gridline-Delivery"));
    assertEquals("Bearer abc", got.header("Authorization"));
    String ts = got.header("X-Gridline-Timestamp");
    assertTrue(Math.abs(Long.parseLong(ts) - System.currentTimeMillis() / 1000) < 60);
    assertEquals("sha256=" + hmacHex("whsec_test", ts, got.body()), got.header("X-Gridline-Signature"));
    assertEquals(1, f.count("SELECT attempts FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"));
    assertEquals("200", f.text("SELECT last_status_code FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"));
  }

  @Test
  void sealedCustomHeadersAreOpenedForTheDeliveryAndDoNotOpenOnAnotherSubscription() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sealed = f.subscribe(tenant, r.url(), "s", "device.*");
    f.sealHeaders(sealed, "{\"Authorization\":\"Bearer sealed-token\",\"X-Gridline-Event\":\"forged\"}", sealed);
    UUID copied = f.subscribe(tenant, r.url() + "&copied", "s", "device.*");
    f.sealHeaders(copied, "{\"Authorization\":\"Bearer stolen\"}", sealed); // another subscription's ciphertext
    f.deploy(f.config().put("webhooks.max-attempts", 1));
    DeviceEvent e = f.event(tenant, "device.online", 8);
    f.send(e);
    until("delivered", 20_000, () -> rows(sealed, "succeeded") == 1);
    until("the copy failed", 20_000, () -> rows(copied, "dead") == 1);

    assertEquals(1, r.received());
    assertEquals("Bearer sealed-token", r.requests.get(0).header("Authorization"));
    assertEquals("device.online", r.requests.get(0).header("X-Gridline-Event"));
    assertTrue(lastError(copied).startsWith("the subscription's headers cannot be opened"), lastError(copied));
  }

  @Test
  void failingThreeTimesThenOkIsOneSuccessAfterFourAttempts() {
    Receiver r = receiver(n -> n <= 3 ? 500 : 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    double retries = deliveries("retry");
    double successes = deliveries("succeeded");
    f.deploy(f.config());
    f.send(f.event(tenant, "charging.started", 3));
    until("success", 20_000, () -> rows(sub, "succeeded") == 1);
    assertEquals(3, deliveries("retry") - retries);
    assertEquals(1, deliveries("succeeded") - successes);
    assertEquals(1, meters.get("gridline.webhooks.latency").timer().count() > 0 ? 1 : 0);
    sleep(500);
    assertEquals(1, rows(sub, null));
    assertEquals(4, f.count("SELECT attempts FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"));
    assertEquals(4, r.received());
    assertEquals(1, r.successes.values().stream().mapToInt(AtomicInteger::get).sum());
  }

  @Test
  void deadReceiverGoesDeadIsRedeliveredAndAStreakDeactivatesTheSubscription() {
    Receiver r = receiver(n -> 503, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config().put("webhooks.max-attempts", 3).put("webhooks.disable-after", 2));
    f.send(f.event(tenant, "device.offline", 1));
    until("dead", 20_000, () -> rows(sub, "dead") == 1);
    assertEquals(3, f.count("SELECT attempts FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"));
    assertEquals("503", f.text("SELECT last_status_code FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"));
    assertEquals(1, f.count("SELECT consecutive_dead FROM webhook_subscriptions WHERE id = '" + sub + "'"));
    assertEquals("t", f.text("SELECT active FROM webhook_subscriptions WHERE id = '" + sub + "'"));

    // the receiver is back; redeliver as the API does it (dead → pending, attempts 0)
    r.status = n -> 200;
    f.execute("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now() "
        + "WHERE subscription_id = '" + sub + "' AND status = 'dead'");
    until("redelivered", 20_000, () -> rows(sub, "succeeded") == 1);
    assertEquals(0, f.count("SELECT consecutive_dead FROM webhook_subscriptions WHERE id = '" + sub + "'"));
    assertEquals(4, r.received());

    r.status = n -> 503;
    f.send(f.event(tenant, "device.offline", 2));
    f.send(f.event(tenant, "device.offline", 3));
    until("two more dead", 20_000, () -> rows(sub, "dead") == 2);
    assertEquals("f", f.text("SELECT active FROM webhook_subscriptions WHERE id = '" + sub + "'"));
    assertEquals("webhook.disabled: 2 deliveries dead in a row",
        f.text("SELECT status_note FROM webhook_subscriptions WHERE id = '" + sub + "'"));
    assertEquals(10, r.received());
  }

  @Test
  void slowEndpointDoesNotDelayAFastOne() {
    Receiver slow = receiver(n -> 200, 5_000);
    Receiver fast = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID slowSub = f.subscribe(tenant, slow.url(), "s", "*");
    UUID fastSub = f.subscribe(tenant, fast.url(), "s", "*");
    f.deploy(f.config().put("webhooks.max-concurrency-per-endpoint", 2).put("webhooks.concurrency", 8));
    long t0 = System.currentTimeMillis();
    for (int i = 1; i <= 30; i++) {
      f.send(f.event(tenant, "telemetry.decoded", i));
    }
    until("fast endpoint got all 30", 10_000, () -> rows(fastSub, "succeeded") == 30);
    long took = System.currentTimeMillis() - t0;
    // the slow endpoint times out (1 s) on at most 2 at a time: it has had only a handful of attempts by now
    assertTrue(took < 8_000, "fast deliveries took " + took + " ms");
    assertEquals(0, rows(slowSub, "succeeded"));
    assertTrue(slow.received() <= 2 * (took / 1000 + 1) + 2, "slow endpoint got " + slow.received());
    assertEquals(30, fast.received());
  }

  @Test
  void theSameEventTwiceIsOneDelivery() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config());
    DeviceEvent e = f.event(tenant, "device.online", 5);
    f.send(e);
    f.send(e);
    until("success", 20_000, () -> rows(sub, "succeeded") == 1);
    DeviceEvent marker = f.event(tenant, "device.online", 5);
    f.send(marker);
    until("marker delivered", 20_000, () -> rows(sub, "succeeded") == 2);
    assertEquals(2, rows(sub, null));
    assertEquals(2, r.received());
  }

  @Test
  void undeployedMidDeliveryAndRedeployedEndsEveryDeliveryOnceSucceeded() {
    Receiver r = receiver(n -> n % 5 == 0 ? 500 : 200, 300);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config());
    for (int i = 1; i <= 40; i++) {
      f.send(f.event(tenant, "telemetry.decoded", i));
    }
    until("first request", 20_000, () -> r.received() > 0);
    f.undeploy();
    long afterStop = r.received();
    sleep(500);
    assertEquals(afterStop, r.received(), "nothing sent after undeploy");
    f.deploy(f.config());
    until("all 40 finished", 30_000, () -> rows(sub, "succeeded") + rows(sub, "dead") == 40);
    assertEquals(40, rows(sub, "succeeded"));
    sleep(500);
    assertEquals(40, r.successes.size());
    r.successes.forEach((delivery, n) -> assertEquals(1, n.get(), delivery + " answered 2xx " + n + " times"));
  }

  @Test
  void anotherTenantsEventsDoNotReachThisTenantsSubscription() {
    Receiver mine = receiver(n -> 200, 0);
    Receiver theirs = receiver(n -> 200, 0);
    UUID a = f.tenant();
    UUID b = f.tenant();
    UUID subA = f.subscribe(a, mine.url(), "s", "*");
    UUID subB = f.subscribe(b, theirs.url(), "s", "*");
    f.deploy(f.config());
    f.send(f.event(b, "device.online", 9));
    until("b's delivery", 20_000, () -> rows(subB, "succeeded") == 1);
    f.send(f.event(a, "device.online", 8));
    until("a's delivery", 20_000, () -> rows(subA, "succeeded") == 1);
    assertEquals(1, mine.received());
    assertEquals(1, theirs.received());
    assertEquals(a.toString(), new JsonObject(mine.requests.get(0).body()).getString("tenantId"));
  }

  @Test
  void aSubscriptionDoesNotGetEventsThatOccurredBeforeItWasCreated() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config());
    DeviceEvent old = f.event(tenant, "device.online", 4, System.currentTimeMillis() - 3_600_000);
    DeviceEvent fresh = f.event(tenant, "device.online", 4);
    f.send(old);
    f.send(fresh);
    until("fresh delivered", 20_000, () -> rows(sub, "succeeded") == 1);
    sleep(300);
    assertEquals(1, rows(sub, null));
    assertEquals(fresh.eventId(), r.requests.get(0).header("X-Gridline-Delivery"));
  }

  @Test
  void eventTypeGlobsMatchAsDocumented() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID charging = f.subscribe(tenant, r.url(), "s", "charging.*");
    UUID literal = f.subscribe(tenant, r.url(), "s", "a_c", "x%y");
    f.deploy(f.config());
    f.send(f.event(tenant, "device.online", 1));
    f.send(f.event(tenant, "abc", 1));
    f.send(f.event(tenant, "xzzy", 1));
    f.send(f.event(tenant, "charging.started", 1));
    f.send(f.event(tenant, "a_c", 1));
    until("both", 20_000, () -> rows(charging, "succeeded") == 1 && rows(literal, "succeeded") == 1);
    sleep(300);
    assertEquals(1, rows(charging, null));
    assertEquals(1, rows(literal, null));
  }

  @Test
  void duringARotationOverlapBothSecretsSign() throws Exception {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID overlap = f.subscribeWith(tenant, r.url(), "new-secret", "old-secret",
        new Timestamp(System.currentTimeMillis() + 3_600_000), "{}", "device.online");
    UUID over = f.subscribeWith(tenant, r.url() + "&over", "new-secret", "old-secret",
        new Timestamp(System.currentTimeMillis() - 1_000), "{}", "device.online");
    f.deploy(f.config());
    f.send(f.event(tenant, "device.online", 1));
    until("both delivered", 20_000, () -> rows(overlap, "succeeded") == 1 && rows(over, "succeeded") == 1);
    for (Receiver.Request got : r.requests) {
      String ts = got.header("X-Gridline-Timestamp");
      String current = "sha256=" + hmacHex("new-secret", ts, got.body());
      String previous = "sha256=" + hmacHex("old-secret", ts, got.body());
      assertTrue(got.header("X-Gridline-Signature").equals(current + "," + previous)
          || got.header("X-Gridline-Signature").equals(current), got.header("X-Gridline-Signature"));
    }
    long two = r.requests.stream().filter(q -> q.header("X-Gridline-Signature").contains(",")).count();
    assertEquals(1, two);
  }

  @Test
  void aPrivateTargetIsRefusedAtDeliveryWithoutTheFlag() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config().put("webhooks.allow-private-targets", false).put("webhooks.max-attempts", 2));
    f.send(f.event(tenant, "device.online", 1));
    until("dead", 20_000, () -> rows(sub, "dead") == 1);
    assertEquals(0, r.received());
    String error = f.text("SELECT last_error FROM webhook_deliveries WHERE subscription_id = '" + sub + "'");
    assertTrue(error.startsWith("target refused: host 127.0.0.1 resolves to a loopback"), error);
    assertNull(f.text("SELECT last_status_code FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"));
  }

  @Test
  void plainHttpIsRefusedAtDeliveryWithoutTheFlag() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config().put("webhooks.allow-http", false).put("webhooks.max-attempts", 1));
    f.send(f.event(tenant, "device.online", 1));
    until("dead", 20_000, () -> rows(sub, "dead") == 1);
    assertEquals(0, r.received());
    assertTrue(f.text("SELECT last_error FROM webhook_deliveries WHERE subscription_id = '" + sub + "'")
        .contains("must be https"));
  }

  @Test
  void malformedEventsAreParkedAndCommittedPast() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config());
    byte[] notJson = ("{not json " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    byte[] badId = new JsonObject().put("eventId", "nope").put("type", "x").put("tenantId", tenant.toString())
        .put("deviceId", 1).put("deviceKind", "mqtt").put("occurredAt", "2026-01-01T00:00:00.000Z").toBuffer()
        .getBytes();
    f.sendRaw("1", notJson);
    f.sendRaw("1", badId);
    f.send(f.event(tenant, "device.online", 1));
    until("the valid one", 20_000, () -> rows(sub, "succeeded") == 1);
    assertEquals(1, rows(sub, null));
    until("both parked", 20_000, () -> parked(notJson, badId).size() == 2);
    for (ConsumerRecord<String, byte[]> p : parked(notJson, badId)) {
      assertEquals("malformed", header(p, ParkedHeaders.REASON));
      assertEquals("1", p.key());
    }
    until("offsets committed", 20_000, () -> f.uncommitted() == 0);
  }

  // ---- poison events: parked, never retried for ever

  private List<ConsumerRecord<String, byte[]>> parked(byte[]... values) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> p : f.parked()) {
      for (byte[] v : values) {
        if (Arrays.equals(v, p.value())) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(DeviceEvent e) {
    return KafkaCodecs.DEVICE_EVENT.encode(e).getBytes();
  }

  @Test
  void eventsPostgresqlRefusesAreParkedWhileTheRestOfThePollIsStoredAndCommitted() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config());
    // a NUL in the type: it decodes fine, and PostgreSQL refuses it in a text column (22021) — as it would any value of
    // class 22/23. Two of them, so the poll's insert fails and each good event around them still gets its row.
    DeviceEvent first = f.event(tenant, "device.online", 41);
    DeviceEvent nul = f.event(tenant, "device.on\u0000line", 41);
    DeviceEvent middle = f.event(tenant, "device.online", 41);
    DeviceEvent nulAgain = f.event(tenant, "\u0000", 41);
    DeviceEvent last = f.event(tenant, "device.online", 41);
    f.sendAll("41", List.of(bytes(first), bytes(nul), bytes(middle), bytes(nulAgain), bytes(last)));

    until("the good ones delivered", 30_000, () -> rows(sub, "succeeded") == 3);
    assertEquals(List.of(first.eventId(), middle.eventId(), last.eventId()),
        r.requests.stream().map(q -> q.header("X-Gridline-Delivery")).toList(), "in Kafka order");
    until("both bad ones parked", 20_000, () -> parked(bytes(nul), bytes(nulAgain)).size() == 2);
    for (ConsumerRecord<String, byte[]> p : parked(bytes(nul), bytes(nulAgain))) {
      assertEquals("41", p.key());
      assertEquals("permanent-error", header(p, ParkedHeaders.REASON));
      assertEquals(Topics.EVENTS, header(p, ParkedHeaders.SOURCE_TOPIC));
      assertEquals("webhooks", header(p, ParkedHeaders.PARKED_BY));
      assertTrue(Long.parseLong(header(p, ParkedHeaders.SOURCE_OFFSET)) >= 0);
      assertTrue(header(p, ParkedHeaders.ERROR).contains("22021"), header(p, ParkedHeaders.ERROR));
    }
    until("offsets committed", 20_000, () -> f.uncommitted() == 0);
    assertEquals(3, rows(sub, null));
  }

  private String webhooksReadiness() {
    return await(Readiness.of(f.vertx).checks().checkStatus()).toJson().encode();
  }

  @Test
  void anEventThatKeepsFailingIsParkedAfterTheBoundedAttemptsAndReadinessSaysWhyMeanwhile() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    // a database error outside classes 22/23 for one event type, at every try (as a lock or serialization problem
    // that this event always runs into)
    f.execute("CREATE FUNCTION test_conflicts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "IF NEW.event_type = 'test.conflicts' THEN RAISE EXCEPTION 'test: could not serialize access' "
        + "USING ERRCODE = '40001'; END IF; RETURN NEW; END $$");
    f.execute("CREATE TRIGGER test_conflicts BEFORE INSERT ON webhook_deliveries FOR EACH ROW "
        + "EXECUTE FUNCTION test_conflicts()");
    try {
      f.deploy(f.config().put("webhooks.feed-max-attempts", 6));
      DeviceEvent good = f.event(tenant, "device.online", 42);
      DeviceEvent bad = f.event(tenant, "test.conflicts", 42);
      DeviceEvent later = f.event(tenant, "device.online", 42);
      f.sendAll("42", List.of(bytes(good), bytes(bad), bytes(later)));

      until("readiness says why", 10_000, () -> {
        String ready = webhooksReadiness();
        return ready.contains("could not serialize access") && ready.contains("of 6 (webhooks.feed-max-attempts)");
      });
      until("the good ones delivered", 30_000, () -> rows(sub, "succeeded") == 2);
      until("the bad one parked", 20_000, () -> parked(bytes(bad)).size() == 1);
      ConsumerRecord<String, byte[]> p = parked(bytes(bad)).get(0);
      assertEquals("attempts-exhausted", header(p, ParkedHeaders.REASON));
      assertEquals("7", header(p, ParkedHeaders.ATTEMPTS), "6 with its poll, then one alone");
      assertTrue(header(p, ParkedHeaders.ERROR).contains("could not serialize access"));
      until("offsets committed", 20_000, () -> f.uncommitted() == 0);
      until("ready again", 10_000, () -> !webhooksReadiness().contains("webhook_deliveries"));
    } finally {
      f.execute("DROP TRIGGER test_conflicts ON webhook_deliveries");
      f.execute("DROP FUNCTION test_conflicts()");
    }
  }

  @Test
  void deliverNowAttemptsTheTenantsRowAndRepliesItsOutcome() throws Exception {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID other = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "nothing.matches");
    f.deploy(f.config().put("webhooks.poll-interval-ms", 60_000));
    UUID eventId = UUID.randomUUID();
    // the row as the API's test endpoint would insert it; far in the future so only deliver-now sends it
    f.execute("INSERT INTO webhook_deliveries (subscription_id, tenant_id, event_id, event_type, body, occurred_at, "
        + "next_attempt_at) VALUES ('" + sub + "', '" + tenant + "', '" + eventId + "', 'webhook.test', "
        + "'{\"type\":\"webhook.test\"}', now(), now() + interval '1 hour')");
    long id = f.count("SELECT id FROM webhook_deliveries WHERE event_id = '" + eventId + "'");

    try {
      await(f.vertx.eventBus().request(WebhookAddresses.DELIVER_NOW,
          new DeliveryRequest(id, other.toString())));
      throw new AssertionError("another tenant's request must fail");
    } catch (ReplyException expected) {
      assertEquals(404, expected.failureCode());
    }
    assertEquals(0, r.received());

    DeliveryOutcome outcome = (DeliveryOutcome) await(f.vertx.eventBus().request(
        WebhookAddresses.DELIVER_NOW, new DeliveryRequest(id, tenant.toString()))).body();
    assertEquals(new DeliveryOutcome(id, "succeeded", 1, 200, ""), outcome);
    assertEquals(1, r.received());
    assertEquals("webhook.test", r.requests.get(0).header("X-Gridline-Event"));

    DeliveryOutcome again = (DeliveryOutcome) await(f.vertx.eventBus().request(
        WebhookAddresses.DELIVER_NOW, new DeliveryRequest(id, tenant.toString()))).body();
    assertEquals("succeeded", again.status());
    assertEquals(1, r.received(), "a succeeded delivery is never sent again");
    assertFalse(r.requests.isEmpty());
  }

  @Test
  void deliverNowLeavesARowWhoseLeaseAnotherWorkerHoldsAlone() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "nothing.matches");
    f.deploy(f.config());
    UUID eventId = UUID.randomUUID();
    // as another worker's claim leaves it while that worker's attempt runs
    f.execute("INSERT INTO webhook_deliveries (subscription_id, tenant_id, event_id, event_type, body, occurred_at, "
        + "next_attempt_at, lease_token) VALUES ('" + sub + "', '" + tenant + "', '" + eventId + "', 'webhook.test', "
        + "'{}', now(), now() + interval '1 minute', gen_random_uuid())");
    long id = f.count("SELECT id FROM webhook_deliveries WHERE event_id = '" + eventId + "'");
    DeliveryOutcome outcome = (DeliveryOutcome) await(f.vertx.eventBus().request(
        WebhookAddresses.DELIVER_NOW, new DeliveryRequest(id, tenant.toString()))).body();
    assertEquals("pending", outcome.status());
    assertEquals(0, outcome.attempts());
    sleep(300);
    assertEquals(0, r.received());
  }

  @Test
  void oneDevicesEventsArriveInOrderWithTheUrlsHostHeader() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, "http://localhost:" + r.port() + "/ordered", "s", "*");
    f.deploy(f.config());
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      DeviceEvent e = f.event(tenant, "telemetry.decoded", 77);
      sent.add(e.eventId());
      f.send(e);
    }
    until("all 25", 20_000, () -> rows(sub, "succeeded") == 25);
    assertEquals(sent, r.requests.stream().map(q -> q.header("X-Gridline-Delivery")).toList());
    assertEquals("localhost:" + r.port(), r.requests.get(0).header("Host"));
    assertEquals("/ordered", r.requests.get(0).uri());
  }

  @Test
  void redirectsAreNotFollowed() {
    Receiver r = receiver(n -> 302, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config().put("webhooks.max-attempts", 1));
    f.send(f.event(tenant, "device.online", 1));
    until("dead", 20_000, () -> rows(sub, "dead") == 1);
    assertEquals(1, r.received());
    assertEquals("302", f.text("SELECT last_status_code FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"));
    assertTrue(f.text("SELECT last_error FROM webhook_deliveries WHERE subscription_id = '" + sub + "'")
        .contains("redirects are not followed"));
  }

  /**
   * Five events to a receiver {@code r} that fails, one attempt at a time: two failures open its circuit for
   * {@code openMs}. Returns the subscription once its five rows exist and two attempts failed.
   */
  private UUID fiveRowsBehindAnOpenCircuit(Receiver r, long openMs) {
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deploy(f.config().put("webhooks.max-concurrency-per-endpoint", 1).put("webhooks.circuit-failure-threshold", 2)
        .put("webhooks.circuit-open-ms", openMs));
    for (int i = 1; i <= 5; i++) {
      f.send(f.event(tenant, "device.online", i));
    }
    until("5 rows", 20_000, () -> rows(sub, null) == 5);
    until("two failures open the circuit", 20_000, () -> r.received() >= 2);
    return sub;
  }

  @Test
  void anOpenCircuitPostponesDeliveriesWithoutCountingAttempts() {
    Receiver r = receiver(n -> 500, 0);
    UUID sub = fiveRowsBehindAnOpenCircuit(r, 60_000);
    sleep(1_500);
    assertEquals(2, r.received(), "circuit open: nothing more sent");
    assertEquals(2, f.count("SELECT sum(attempts) FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"));
    // held back, not failed: the claim leaves an open endpoint's rows in the table until the circuit lets a trial through
    assertEquals(5, f.count("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = '" + sub + "' "
        + "AND status IN ('pending', 'retrying')"));
  }

  @Test
  void twoInstancesShareTheWorkWithoutSendingAnythingTwice() {
    Receiver r = receiver(n -> 200, 20);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    f.deployInstances(f.config(), 2);
    for (int i = 1; i <= 60; i++) {
      f.send(f.event(tenant, "telemetry.decoded", i % 7));
    }
    until("60 succeeded", 30_000, () -> rows(sub, "succeeded") == 60);
    sleep(500);
    assertEquals(60, r.received());
    assertEquals(60, r.successes.size());
  }

  @Test
  void httpsDeliveryToAPrivateCaReceiverVerifiesItsCertificateForTheUrlsHost() throws Exception {
    Receiver r = httpsReceiver(List.of("localhost"), List.of("127.0.0.1"));
    UUID tenant = f.tenant();
    // the URL names localhost; the guard resolves and checks it (127.0.0.1, allowed here), and the client connects to
    // that address (the receiver listens on 127.0.0.1 only) with Host, SNI and the certificate check for localhost
    UUID sub = f.subscribe(tenant, "https://localhost:" + r.port() + "/secure", "tls-secret", "*");
    f.deploy(tlsConfig(true));
    f.send(f.event(tenant, "device.online", 11));
    until("https success", 20_000, () -> rows(sub, "succeeded") == 1);

    assertEquals(1, r.received());
    Receiver.Request got = r.requests.get(0);
    assertEquals("localhost", got.sni());
    assertEquals("localhost:" + r.port(), got.header("Host"));
    assertEquals("/secure", got.uri());
    String ts = got.header("X-Gridline-Timestamp");
    assertEquals("sha256=" + hmacHex("tls-secret", ts, got.body()), got.header("X-Gridline-Signature"));
    assertEquals(1, f.count("SELECT attempts FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"),
        "before the success: " + lastError(sub));
  }

  @Test
  void anHttpsReceiverWhoseCertificateNamesAnotherHostIsRefusedAndRetried() {
    Receiver r = httpsReceiver(List.of("other.example"), List.of());
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, "https://localhost:" + r.port() + "/secure", "s", "*");
    double retries = deliveries("retry");
    f.deploy(tlsConfig(true).put("webhooks.max-attempts", 1000));
    f.send(f.event(tenant, "device.online", 12));
    until("two failed attempts", 20_000,
        () -> f.count("SELECT coalesce(sum(attempts), 0) FROM webhook_deliveries WHERE subscription_id = '" + sub
            + "'") >= 2);
    assertEquals(1, rows(sub, "retrying"));
    assertEquals(0, r.received(), "the receiver never got a request");
    assertTrue(deliveries("retry") - retries >= 2);
    String error = lastError(sub);
    assertTrue(error.contains("SSLHandshakeException")
        && error.contains("No subject alternative DNS name matching localhost"), error);
    assertNull(f.text("SELECT last_status_code FROM webhook_deliveries WHERE subscription_id = '" + sub + "'"));
  }

  @Test
  void withoutTheTrustPathAPrivateCaReceiverIsNotTrusted() {
    Receiver r = httpsReceiver(List.of("localhost"), List.of("127.0.0.1"));
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, "https://localhost:" + r.port() + "/secure", "s", "*");
    f.deploy(tlsConfig(false));
    f.send(f.event(tenant, "device.online", 13));
    until("a failed attempt", 20_000,
        () -> f.count("SELECT coalesce(sum(attempts), 0) FROM webhook_deliveries WHERE subscription_id = '" + sub
            + "'") >= 1);
    assertEquals(0, r.received());
    assertEquals(0, rows(sub, "succeeded"));
    String error = lastError(sub);
    assertTrue(error.contains("SSLHandshakeException") && error.contains("certification path"), error);
  }

  @Test
  void aFailingDeliveryOfAnEventOlderThanMaxAgeGoesDeadOnItsNextFailedAttempt() {
    Receiver r = receiver(n -> 500, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    // the subscription existed before the old event occurred, so the event matches it
    f.execute("UPDATE webhook_subscriptions SET created_at = now() - interval '3 hours' WHERE id = '" + sub + "'");
    double dead = deliveries("dead");
    f.deploy(f.config().put("webhooks.max-age", "PT1H").put("webhooks.max-attempts", 1000));
    DeviceEvent old = f.event(tenant, "device.online", 21, System.currentTimeMillis() - 2 * 3_600_000);
    DeviceEvent fresh = f.event(tenant, "device.online", 22);
    f.send(old);
    f.send(fresh);
    String oldRow = "FROM webhook_deliveries WHERE subscription_id = '" + sub + "' AND event_id = '" + old.eventId() + "'";
    String freshRow = "FROM webhook_deliveries WHERE subscription_id = '" + sub + "' AND event_id = '" + fresh.eventId()
        + "'";
    until("the old event's delivery dead", 20_000, () -> "dead".equals(f.text("SELECT status " + oldRow)));
    assertEquals(1, f.count("SELECT attempts " + oldRow), "dead on its first failed attempt, not after max-attempts");
    assertEquals("500", f.text("SELECT last_status_code " + oldRow));
    // the fresh event, failing the same way, keeps being retried
    until("the fresh event retried", 20_000, () -> f.count("SELECT attempts " + freshRow) >= 3);
    assertEquals("retrying", f.text("SELECT status " + freshRow));
    assertEquals(1, deliveries("dead") - dead);
  }

  private double backlogGauge() {
    return meters.find("gridline.webhooks.backlog").gauges().stream().mapToDouble(g -> g.value()).sum();
  }

  @Test
  void theBacklogGaugeCountsDueRowsHeldBackByAnOpenCircuitAndDropsToZeroOnceDrained() {
    Receiver r = receiver(n -> 500, 0);
    UUID sub = fiveRowsBehindAnOpenCircuit(r, 3_000);
    // the circuit holds the rows back while they are due: the gauge (sampled every 5 s) sees them
    until("backlog > 0", 3 * WebhooksVerticle.BACKLOG_PERIOD_MS, () -> backlogGauge() > 0);
    assertTrue(backlogGauge() <= 5, "backlog " + backlogGauge());

    r.status = n -> 200;
    until("all 5 delivered after a trial closes the circuit", 30_000, () -> rows(sub, "succeeded") == 5);
    until("backlog 0", 3 * WebhooksVerticle.BACKLOG_PERIOD_MS, () -> backlogGauge() == 0);
  }

  // ---- the lease covers the whole attempt

  private double leaseLost(boolean sent) {
    var c = meters.find("gridline.webhooks.lease.lost").tag("sent", String.valueOf(sent)).counter();
    return c == null ? 0 : c.count();
  }

  private String deliveryOf(UUID subscription, String column) {
    return f.text("SELECT " + column + " FROM webhook_deliveries WHERE subscription_id = '" + subscription + "'");
  }

  @Test
  void aDnsLookupSlowerThanTheLeaseTimesOutInsteadOfSendingAfterAnotherWorkerDid() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    // the first lookup hangs longer than a whole lease (dns 1 s + timeout 1 s + 5 s), as a dead resolver does; the
    // others answer at once. Both workers share it.
    AtomicBoolean first = new AtomicBoolean(true);
    AtomicBoolean slowLookupReturned = new AtomicBoolean();
    WebhookTargets.Resolver slowOnce = host -> {
      if (first.compareAndSet(true, false)) {
        sleep(10_000);
        slowLookupReturned.set(true);
      }
      return InetAddress.getAllByName(host);
    };
    double lostSent = leaseLost(true);
    f.deployInstances(f.config(), 2, () -> new WebhooksVerticle(slowOnce));
    f.send(f.event(tenant, "device.online", 31));
    until("succeeded", 30_000, () -> rows(sub, "succeeded") == 1);
    until("the slow lookup returned", 20_000, slowLookupReturned::get);
    sleep(1_000);

    assertEquals(1, r.received(), "sent once: the attempt whose lookup hung never sent it");
    assertEquals(1, r.successes.size());
    assertEquals(1, rows(sub, "succeeded"));
    // the lookup that timed out was a failed attempt of its own (retried at once by either worker)
    assertEquals("2", deliveryOf(sub, "attempts"));
    assertEquals(lostSent, leaseLost(true));
  }

  @Test
  void aSlowOutcomeWriteKeepsItsLeaseSoTheOtherWorkerDoesNotSendAgain() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    // marking a delivery succeeded waits 10 s (longer than a whole lease, 7 s) before it even locks the row: only the
    // lease, renewed meanwhile, keeps the other worker from claiming and sending it again
    f.execute("CREATE FUNCTION test_slow_success() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "IF current_query() LIKE '%status = ''succeeded''%' THEN PERFORM pg_sleep(10); END IF; RETURN NULL; END $$");
    f.execute("CREATE TRIGGER test_slow_success BEFORE UPDATE ON webhook_deliveries FOR EACH STATEMENT "
        + "EXECUTE FUNCTION test_slow_success()");
    try {
      double lostSent = leaseLost(true);
      f.deployInstances(f.config(), 2);
      f.send(f.event(tenant, "device.online", 32));
      until("sent", 20_000, () -> r.received() == 1);
      until("succeeded", 30_000, () -> rows(sub, "succeeded") == 1);
      sleep(1_000);

      assertEquals(1, r.received(), "sent once");
      assertEquals(1, rows(sub, "succeeded"));
      assertEquals("1", deliveryOf(sub, "attempts"));
      assertNull(deliveryOf(sub, "lease_token"));
      assertEquals(lostSent, leaseLost(true));
    } finally {
      f.execute("DROP TRIGGER test_slow_success ON webhook_deliveries");
      f.execute("DROP FUNCTION test_slow_success()");
    }
  }

  @Test
  void aSuccessAfterTheLeaseWasTakenOverIsNotRecordedAndCountsAsAPossibleDuplicate() {
    Receiver r = receiver(n -> 200, 500);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, r.url(), "s", "*");
    double lostSent = leaseLost(true);
    double succeeded = deliveries("succeeded");
    f.deploy(f.config());
    f.send(f.event(tenant, "device.online", 33));
    until("the receiver holds the request", 20_000, () -> r.received() == 1);
    // what another worker's claim does once a lease ran out: a new token (and the row due at once, so it is sent again)
    f.execute("UPDATE webhook_deliveries SET lease_token = gen_random_uuid(), next_attempt_at = now() + interval "
        + "'2 seconds' WHERE subscription_id = '" + sub + "'");
    until("the first answer", 20_000, () -> r.requests.size() == 1);
    until("counted as a possible duplicate", 10_000, () -> leaseLost(true) == lostSent + 1);
    assertEquals("pending", deliveryOf(sub, "status"), "not marked succeeded over the row's new owner");
    assertEquals("0", deliveryOf(sub, "attempts"));
    assertEquals(succeeded, deliveries("succeeded"));

    // the row's owner never came: after its lease the row is claimed again and sent again, with the same delivery id
    until("succeeded", 20_000, () -> rows(sub, "succeeded") == 1);
    assertEquals(2, r.received());
    assertEquals(r.requests.get(0).header("X-Gridline-Delivery"), r.requests.get(1).header("X-Gridline-Delivery"));
  }

  // ---- meters: bounded, and no list of tenants' hosts

  private static String endpointTag(Receiver r) {
    return EndpointGate.tagOf("http://localhost:" + r.port());
  }

  @Test
  void metricsTagEndpointsByHashAndForgetThoseWhoseSubscriptionIsDeactivatedOrDeleted() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics.addRegistry(prometheus);
    try {
      Receiver a = receiver(n -> 200, 0);
      Receiver b = receiver(n -> 200, 0);
      UUID tenant = f.tenant();
      UUID subA = f.subscribe(tenant, "http://localhost:" + a.port() + "/a", "s", "*");
      UUID subB = f.subscribe(tenant, "http://localhost:" + b.port() + "/b", "s", "*");
      f.deploy(f.config().put("webhooks.endpoint-idle-ms", 3_600_000)); // only the subscriptions' state forgets here
      f.send(f.event(tenant, "device.online", 51));
      until("both delivered", 20_000, () -> rows(subA, "succeeded") == 1 && rows(subB, "succeeded") == 1);

      String scrape = prometheus.scrape();
      assertTrue(scrape.contains("gridline_webhooks_circuit{endpoint=\"" + endpointTag(a) + "\""), scrape);
      assertTrue(scrape.contains("gridline_webhooks_circuit{endpoint=\"" + endpointTag(b) + "\""), scrape);
      for (String secret : List.of("localhost", ":" + a.port(), ":" + b.port(), "/a\"", "/b\"")) {
        assertFalse(scrape.contains(secret), "/metrics shows " + secret);
      }

      f.execute("UPDATE webhook_subscriptions SET active = false WHERE id = '" + subA + "'"); // as PUT active=false
      f.execute("DELETE FROM webhook_subscriptions WHERE id = '" + subB + "'");
      until("both gauges removed", 3 * WebhooksVerticle.BACKLOG_PERIOD_MS,
          () -> !prometheus.scrape().contains("gridline_webhooks_circuit{"));
    } finally {
      Metrics.removeRegistry(prometheus);
    }
  }

  @Test
  void anIdleEndpointsGaugeIsRemovedAndComesBackWithItsNextDelivery() {
    Receiver r = receiver(n -> 200, 0);
    UUID tenant = f.tenant();
    UUID sub = f.subscribe(tenant, "http://localhost:" + r.port() + "/idle", "s", "*");
    f.deploy(f.config().put("webhooks.endpoint-idle-ms", 1_000));
    f.send(f.event(tenant, "device.online", 52));
    until("delivered", 20_000, () -> rows(sub, "succeeded") == 1);
    Supplier<Boolean> gauged = () -> meters.find("gridline.webhooks.circuit").tag("endpoint", endpointTag(r)).gauge()
        != null;
    assertTrue(gauged.get());
    until("forgotten once idle", 3 * WebhooksVerticle.BACKLOG_PERIOD_MS, () -> !gauged.get());
    f.send(f.event(tenant, "device.online", 52));
    until("delivered again", 20_000, () -> rows(sub, "succeeded") == 2);
    assertTrue(gauged.get());
  }
}
