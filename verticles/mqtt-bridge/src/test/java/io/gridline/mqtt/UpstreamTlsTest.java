package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.testkit.TestStores;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream mode over {@code ssl://} against a private Mosquitto that requires client certificates: the bridge trusts
 * the site's CA ({@code mqtt.upstream.tls.trust-path}) and presents its own certificate
 * ({@code mqtt.upstream.tls.cert-path}/{@code key-path}). Test devices publish on the broker's plain listener.
 */
class UpstreamTlsTest {
  @TempDir
  Path dir;
  private PrivateMosquitto broker;
  private BridgeFixture fixture;
  private DeviceCertificateAuthority ca;

  @BeforeEach
  void start() throws Exception {
    ca = DeviceCertificateAuthority.loadOrGenerate(dir);
    broker = PrivateMosquitto.startTls(dir, ca);
    fixture = new BridgeFixture();
  }

  @AfterEach
  void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void anSslUpstreamTrustingTheSitesCaWithAClientCertificateForwards() throws Exception {
    DeviceCertificateAuthority.Issued client = ca.issue("gridline-upstream");
    fixture.deploy(config()
        .put("mqtt.upstream.tls.cert-path", Files.writeString(dir.resolve("client.crt.pem"), client.certificatePem())
            .toString())
        .put("mqtt.upstream.tls.key-path", Files.writeString(dir.resolve("client.key.pem"), client.privateKeyPem())
            .toString()));
    BridgeFixture.Device d = fixture.device();
    fixture.awaitUpstreamLink();

    MqttClient device = new MqttClient("tcp://127.0.0.1:" + broker.plainPort, "device-" + UUID.randomUUID(),
        new MemoryPersistence());
    device.connect();
    device.publish(d.statTopic(), Clients.payload("00D7"), 1, false);
    device.disconnect();
    device.close();

    assertEquals(1, BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, d.mac(), 1,
        Duration.ofSeconds(10)).size(), broker.log());
  }

  @Test
  void withoutAClientCertificateTheBrokerRefusesTheLinkAndReadinessSaysSo() throws Exception {
    fixture.deploy(config());
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(10), fixture::upstreamProblem,
        p -> p != null && p.contains("cannot connect")), fixture.upstreamProblem());
    assertTrue(fixture.upstreamProblem().contains("ssl://localhost:" + broker.tlsPort), fixture.upstreamProblem());
    assertFalse(BridgeFixture.eventually(Duration.ofSeconds(3), fixture::upstreamProblem, java.util.Objects::isNull),
        "linked without a client certificate");
  }

  private JsonObject config() {
    return fixture.config()
        .put("mqtt.upstream.url", "ssl://localhost:" + broker.tlsPort)
        .put("mqtt.upstream.client-id", "gridline-upstream-tls-" + UUID.randomUUID().toString().substring(0, 8))
        .put("mqtt.upstream.tenants", fixture.tenantId.toString())
        .put("mqtt.upstream.tls.trust-path", broker.caPath.toString());
  }
}
