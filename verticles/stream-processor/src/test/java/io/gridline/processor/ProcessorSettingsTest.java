package io.gridline.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The processor's settings come from {@code config/gridline.yaml} alone: no default is written in the code. */
class ProcessorSettingsTest {

  @Test
  void theDeclaredDefaultsAreTheSettings() {
    JsonObject d = TestConfig.defaults();
    ProcessorSettings s = ProcessorSettings.from(TestConfig.of(new JsonObject()));
    assertEquals(new ProcessorSettings(d.getInteger("processor.max-in-flight"),
        d.getLong("processor.events-per-device-interval-ms"), d.getLong("processor.cache-ttl-seconds"),
        d.getInteger("processor.dlq-max-rows-per-tenant"), Duration.parse(d.getString("processor.dlq-max-age")),
        d.getLong("processor.models-refresh-ms"), d.getLong("processor.commit-interval-ms"),
        d.getInteger("processor.max-attempts")), s);
  }

  @Test
  void everyProcessorKeyIsReadFromTheConfigAlone() {
    TestConfig.requireEveryKey(TestConfig.defaults(), TestConfig.declaredUnder("processor."), ProcessorSettings::from);
  }
}
