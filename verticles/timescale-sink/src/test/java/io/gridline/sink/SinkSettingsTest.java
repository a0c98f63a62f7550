package io.gridline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.testkit.TestConfig;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sink's settings come from {@code config/gridline.yaml} alone: no default is written in the code. */
class SinkSettingsTest {

  @Test
  void theDeclaredDefaultsAreTheSettings() {
    JsonObject d = TestConfig.defaults();
    SinkSettings s = SinkSettings.from(TestConfig.of(new JsonObject()));
    // sink.pg-url is empty in the file: the time series lives beside the metadata
    assertEquals(new SinkSettings("pg.url", d.getInteger("sink.batch-size"), d.getLong("sink.linger-ms"),
        Optional.empty(), d.getLong("sink.retry-backoff-ms"), d.getLong("sink.max-retry-backoff-ms"),
        d.getInteger("sink.max-batches-in-flight"), d.getInteger("sink.max-attempts")), s);
  }

  @Test
  void everySinkKeyIsReadFromTheConfigAlone() {
    TestConfig.requireEveryKey(TestConfig.defaults(), TestConfig.declaredUnder("sink."), SinkSettings::from);
  }
}
