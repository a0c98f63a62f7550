package io.gridline.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.codecs.Rfc3339;
import io.gridline.contracts.Topics;
import io.gridline.testkit.Waits;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A backlog waiting when the verticle starts, with the default in-flight window: thousands of records queue behind the
 * first (cold) device lookups and then complete synchronously one after another. This once overflowed the stack and
 * stalled the partition.
 */
class BacklogTest {
  @Test
  void aLargeBacklogIsWorkedOffCompletely() throws Exception {
    try (ProcessorFixture fx = new ProcessorFixture()) {
      UUID tenant = fx.tenant();
      String[] macs = new String[20];
      Set<Long> ids = new HashSet<>();
      for (int i = 0; i < macs.length; i++) {
        macs[i] = ProcessorFixture.randomMac();
        ids.add(fx.device(tenant, macs[i], new JsonObject()));
      }
      int n = 12_000;
      long base = System.currentTimeMillis() - 3_600_000;
      for (int i = 0; i < n; i++) {
        String mac = macs[i % macs.length];
        JsonObject raw = new JsonObject().put("tenantId", tenant.toString()).put("deviceId", 0).put("mac", mac)
            .put("topic", ProcessorFixture.topic(mac, 1, 1)).put("clientId", "f2-x").put("qos", 1)
            .put("payload", Base64.getEncoder().encodeToString(ProcessorFixture.payload(base + i, "00D7024E01F4")))
            .put("receivedAt", Rfc3339.format(System.currentTimeMillis()));
        fx.producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW, mac, raw.toBuffer().getBytes()));
      }
      fx.producer.flush();

      JsonObject config = fx.config().put("processor.max-in-flight", 2000);
      Waits.await(fx.vertx.deployVerticle(new StreamProcessorVerticle(), new DeploymentOptions().setConfig(config)));
      long t0 = System.nanoTime();
      assertEquals(n, fx.await(Topics.TELEMETRY_DECODED, j -> ids.contains(j.getLong("deviceId")), n).size());
      System.out.printf("backlog of %d records decoded in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }
  }
}
