package io.gridline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.api.webhooks.WebhookApiSettings;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.WebhookTargets;
import io.gridline.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The api's settings come from {@code config/gridline.yaml} alone: no default is written in the code. */
class ApiSettingsTest {
  /** What the node generates when the file leaves them empty. */
  private static final JsonObject GENERATED = new JsonObject().put("api.admin-key", "gla_test")
      .put("secrets.encryption-key", SecretBox.generateKey());

  @Test
  void theDeclaredDefaultsAreTheSettings() {
    JsonObject d = TestConfig.defaults();
    ApiSettings s = ApiSettings.from(TestConfig.of(GENERATED));
    assertEquals(new ApiSettings(d.getString("api.host"), d.getInteger("api.port"), "gla_test", Optional.empty(),
        Optional.empty(), d.getLong("api.max-body-bytes"), d.getBoolean("api.demo-tenant"),
        Path.of(d.getString("devservices.data-dir")), d.getInteger("api.rate-limit"),
        d.getInteger("api.rate-limit-burst"),
        Duration.parse(d.getString("api.telemetry.statement-timeout")),
        Duration.parse(d.getString("api.telemetry.max-range"))), s);
    WebhookApiSettings w = WebhookApiSettings.from(TestConfig.of(GENERATED));
    assertEquals(Duration.parse(d.getString("webhooks.secret-overlap")), w.secretOverlap());
    assertEquals(d.getLong("webhooks.dns-timeout-ms") + d.getLong("webhooks.timeout-ms")
        + WebhookApiSettings.REPLY_MARGIN_MS, w.replyTimeoutMs());
  }

  @Test
  void everyApiKeyIsReadFromTheConfigAlone() {
    List<String> keys = new ArrayList<>(TestConfig.declaredUnder("api."));
    keys.add("devservices.data-dir"); // where the demo tenant's key is saved
    TestConfig.requireEveryKey(TestConfig.with(GENERATED), keys, ApiSettings::from);
    TestConfig.requireEveryKey(TestConfig.with(GENERATED), List.of("webhooks.secret-overlap", "webhooks.timeout-ms",
        "webhooks.dns-timeout-ms", WebhookTargets.ALLOW_HTTP, WebhookTargets.ALLOW_PRIVATE, "secrets.encryption-key"),
        WebhookApiSettings::from);
  }
}
