package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.devservices.TestStores;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
    o.setSocketFactory(sslContext(issued).getSocketFactory());
    c.setTimeToWait(10_000);
    c.connect(o);
    return c;
  }

  /** What a device does with the three PEMs of the API's answer (plus trust in the server's certificate). */
  private static SSLContext sslContext(DeviceCertificateAuthority.Issued issued) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", certificate(Files.readString(Path.of(server.certificatePath()))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("device", privateKey(issued.privateKeyPem()), new char[0],
        new Certificate[] {certificate(issued.certificatePem()), certificate(issued.caPem())});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static Certificate certificate(String pem) throws Exception {
    return CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static PrivateKey privateKey(String pem) throws Exception {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }
}
