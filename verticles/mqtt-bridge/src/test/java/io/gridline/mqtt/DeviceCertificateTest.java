package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.devservices.TestStores;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mTLS with certificates from Gridline's device CA: with {@code mqtt.device-ca.generate=true} and no
 * {@code mqtt.tls.client-ca-path}, the bridge generates the CA into the data dir and trusts it; a certificate issued
 * from that CA (as {@code POST /api/v1/devices/{id}/certificate} does) connects as its own device only.
 */
class DeviceCertificateTest {
  private static BridgeFixture fixture;
  private static SelfSignedCertificate server;
  private static DeviceCertificateAuthority ca;
  private static int tlsPort;

  @BeforeAll
  static void start() throws Exception {
    fixture = new BridgeFixture();
    server = SelfSignedCertificate.create("localhost");
    Path dataDir = Files.createTempDirectory("gridline-device-ca-");
    MqttBridgeVerticle bridge = fixture.deploy(fixture.config()
        .put("devservices.data-dir", dataDir.toString())
        .put("mqtt.device-ca.generate", true)
        .put("mqtt.tls.cert-path", server.certificatePath())
        .put("mqtt.tls.key-path", server.privateKeyPath()));
    tlsPort = bridge.actualTlsPort();
    assertTrue(Files.exists(dataDir.resolve("device-ca.crt.pem")), "the bridge generated the CA");
    ca = DeviceCertificateAuthority.loadOrGenerate(dataDir); // the same CA, as the api on this node would load it
  }

  @AfterAll
  static void stop() {
    fixture.close();
    server.delete();
  }

  @Test
  void anIssuedCertificateConnectsWithoutAPasswordAndPublishes() throws Exception {
    BridgeFixture.Device device = fixture.device();
    DeviceCertificateAuthority.Issued issued = ca.issue(device.clientId());
    MqttClient c = connect(device.clientId(), issued);
    c.publish(device.statTopic(), Clients.payload("0B"), 1, false); // returns once PUBACK arrived
    c.disconnect();
    c.close();
    assertTrue(BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, device.mac(), 1,
        Duration.ofSeconds(15)).size() >= 1);
  }

  @Test
  void aCertificateForOneDeviceCannotConnectAsAnother() throws Exception {
    BridgeFixture.Device a = fixture.device();
    BridgeFixture.Device b = fixture.device();
    DeviceCertificateAuthority.Issued forA = ca.issue(a.clientId());
    MqttException e = assertThrows(MqttException.class, () -> connect(b.clientId(), forA));
    assertEquals(5, e.getReasonCode()); // not authorized
  }

  @Test
  void aCertificateFromAnotherCaIsNotTrusted() throws Exception {
    BridgeFixture.Device device = fixture.device();
    DeviceCertificateAuthority stranger = DeviceCertificateAuthority.loadOrGenerate(
        Files.createTempDirectory("gridline-other-ca-"));
    assertThrows(MqttException.class, () -> connect(device.clientId(), stranger.issue(device.clientId())));
  }

  private static MqttClient connect(String clientId, DeviceCertificateAuthority.Issued issued) throws Exception {
    MqttClient c = new MqttClient("ssl://127.0.0.1:" + tlsPort, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setHttpsHostnameVerificationEnabled(false);
    o.setConnectionTimeout(5);
    o.setSocketFactory(Clients.deviceTls(Files.readString(Path.of(server.certificatePath())), issued).getSocketFactory());
    c.setTimeToWait(10_000);
    c.connect(o);
    return c;
  }
}
