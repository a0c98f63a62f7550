package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.testkit.TestStores;
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
    DeviceCertificateAuthority.Issued issued = fixture.issueCertificate(device, ca);
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
    DeviceCertificateAuthority.Issued forA = fixture.issueCertificate(a, ca);
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

  @Test
  void aCertificateTheRegistryHasNoRecordOfIsRefused() {
    BridgeFixture.Device device = fixture.device();
    DeviceCertificateAuthority.Issued unrecorded = ca.issue(device.clientId()); // signed by the right CA, never recorded
    MqttException e = assertThrows(MqttException.class, () -> connect(device.clientId(), unrecorded));
    assertEquals(5, e.getReasonCode());
  }

  @Test
  void aCertificateOfADeletedDeviceCannotConnectAsItsMacRegisteredAgainByAnotherTenant() throws Exception {
    BridgeFixture.Device first = fixture.device();
    DeviceCertificateAuthority.Issued kept = fixture.issueCertificate(first, ca);
    connect(first.clientId(), kept).disconnectForcibly(1000);
    BridgeFixture.await(fixture.db.preparedQuery("DELETE FROM devices WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(first.id())));
    announce(first, DeviceChanged.Change.DELETED);
    BridgeFixture.Device victim = fixture.deviceOfAnotherTenant(first.mac());
    MqttException e = assertThrows(MqttException.class, () -> connect(victim.clientId(), kept));
    assertEquals(5, e.getReasonCode());
    assertEquals("revoked", fixture.row("SELECT CASE WHEN revoked_at IS NULL THEN 'active' ELSE 'revoked' END AS s "
        + "FROM device_certificates WHERE serial = $1", kept.serial()).getString("s"), "deleting a device revokes");
  }

  @Test
  void revokingACertificateEndsItsLiveSessionAndRefusesItFromThenOn() throws Exception {
    BridgeFixture.Device device = fixture.device();
    DeviceCertificateAuthority.Issued issued = fixture.issueCertificate(device, ca);
    MqttClient c = connect(device.clientId(), issued);
    java.util.concurrent.CountDownLatch lost = new java.util.concurrent.CountDownLatch(1);
    c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        lost.countDown();
      }

      @Override
      public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
      }

      @Override
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
      }
    });
    // what DELETE /api/v1/devices/{id}/certificates/{serial} does: the record, then the broadcast
    BridgeFixture.await(fixture.db.preparedQuery("UPDATE device_certificates SET revoked_at = now() WHERE serial = $1")
        .execute(io.vertx.sqlclient.Tuple.of(issued.serial())));
    announce(device, DeviceChanged.Change.CREDENTIALS);
    assertTrue(lost.await(10, java.util.concurrent.TimeUnit.SECONDS), "the live session ended");
    MqttException e = assertThrows(MqttException.class, () -> connect(device.clientId(), issued));
    assertEquals(5, e.getReasonCode());
    c.close();
  }

  @Test
  void anEdgeNodeVerifiesDevicesWithTheCaCertificateAlone() throws Exception {
    // an edge node is given the CA's certificate, never its key
    Path caOnly = Files.createTempFile("gridline-device-ca-", ".crt.pem");
    Files.writeString(caOnly, ca.caPem());
    BridgeFixture edge = new BridgeFixture();
    try {
      MqttBridgeVerticle bridge = edge.deploy(edge.config()
          .put("mqtt.device-ca.cert-path", caOnly.toString())
          .put("mqtt.tls.cert-path", server.certificatePath())
          .put("mqtt.tls.key-path", server.privateKeyPath()));
      BridgeFixture.Device device = edge.device();
      MqttClient c = connect(bridge.actualTlsPort(), device.clientId(), edge.issueCertificate(device, ca));
      assertTrue(c.isConnected());
      c.disconnect();
      c.close();
    } finally {
      edge.close();
    }
  }

  private static void announce(BridgeFixture.Device device, DeviceChanged.Change change) {
    fixture.vertx.eventBus().publish(io.gridline.contracts.registry.RegistryAddresses.DEVICE_CHANGED,
        new DeviceChanged(device.id(), fixture.tenantId.toString(), "mqtt", device.mac(), change));
  }

  private static MqttClient connect(String clientId, DeviceCertificateAuthority.Issued issued) throws Exception {
    return connect(tlsPort, clientId, issued);
  }

  private static MqttClient connect(int port, String clientId, DeviceCertificateAuthority.Issued issued)
      throws Exception {
    MqttClient c = new MqttClient("ssl://127.0.0.1:" + port, clientId, new MemoryPersistence());
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
