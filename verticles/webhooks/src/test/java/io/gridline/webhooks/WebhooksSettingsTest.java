package io.gridline.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The webhooks verticle's settings come from {@code config/gridline.yaml} alone: no default is written in the code. */
class WebhooksSettingsTest {
  /** {@code webhooks.*} keys read elsewhere: the SSRF guard ({@code WebhookTargets}) and the api's routes. */
  private static final List<String> NOT_HERE = List.of("webhooks.allow-http", "webhooks.allow-private-targets",
      "webhooks.secret-overlap");

  @Test
  void theDeclaredDefaultsAreTheSettings() {
    JsonObject d = TestConfig.defaults();
    WebhooksSettings s = WebhooksSettings.from(TestConfig.of(new JsonObject()));
    assertEquals(new WebhooksSettings(d.getLong("webhooks.timeout-ms"), d.getLong("webhooks.dns-timeout-ms"),
        Duration.parse(d.getString("webhooks.backoff-base")), Duration.parse(d.getString("webhooks.backoff-max")),
        d.getInteger("webhooks.max-attempts"), Duration.parse(d.getString("webhooks.max-age")),
        d.getInteger("webhooks.disable-after"), d.getInteger("webhooks.max-concurrency-per-endpoint"),
        d.getInteger("webhooks.concurrency"), d.getLong("webhooks.poll-interval-ms"),
        d.getInteger("webhooks.circuit-failure-threshold"), d.getLong("webhooks.circuit-open-ms"),
        d.getLong("webhooks.endpoint-idle-ms"), d.getInteger("webhooks.feed-max-attempts"),
        d.getString("webhooks.tls.trust-path")), s);
  }

  @Test
  void everyWebhooksKeyIsReadFromTheConfigAlone() {
    TestConfig.requireEveryKey(TestConfig.defaults(), TestConfig.declaredUnder("webhooks.").stream()
        .filter(k -> !NOT_HERE.contains(k)).toList(), WebhooksSettings::from);
  }
}
