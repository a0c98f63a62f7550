package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.testkit.TestStores;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
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
 * The TLS listener with a self-signed server certificate; mTLS with a device certificate whose CN is the client id
 * (self-signed, so it is its own client CA here).
 */
class TlsListenerTest {
  private static BridgeFixture fixture;
  private static SelfSignedCertificate server;
  private static SelfSignedCertificate deviceCert;
  private static BridgeFixture.Device device;
  private static int tlsPort;

  @BeforeAll
  static void start() {
    fixture = new BridgeFixture();
    device = fixture.device();
    server = SelfSignedCertificate.create("localhost");
    deviceCert = SelfSignedCertificate.create(device.clientId());
    tlsPort = fixture.deploy(tlsConfig()).actualTlsPort();
  }

  private static io.vertx.core.json.JsonObject tlsConfig() {
    return fixture.config()
        .put("mqtt.tls.cert-path", server.certificatePath())
        .put("mqtt.tls.key-path", server.privateKeyPath())
        .put("mqtt.tls.client-ca-path", deviceCert.certificatePath())
        // an operator's own PKI: Gridline has no record of its certificates, the CN alone decides
        .put("mqtt.tls.require-registered-certificate", false);
  }

  @AfterAll
  static void stop() {
    fixture.close();
    server.delete();
    deviceCert.delete();
  }

  @Test
  void aSecretWorksOverTls() throws Exception {
    String secret = fixture.issueSecret(device);
    MqttClient c = connect(device.clientId(), secret, null);
    c.publish(device.statTopic(), Clients.payload("0A"), 1, false);
    c.disconnect();
    c.close();
    assertTrue(BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, device.mac(), 1,
        Duration.ofSeconds(15)).size() >= 1);
  }

  @Test
  void aCertificateNamingTheClientIdNeedsNoPassword() throws Exception {
    MqttClient c = connect(device.clientId(), null, deviceCert);
    assertTrue(c.isConnected());
    c.disconnect();
    c.close();
  }

  @Test
  void aCertificateNamingAnotherDeviceIsNotAuthorized() {
    BridgeFixture.Device other = fixture.device();
    MqttException e = assertThrows(MqttException.class, () -> connect(other.clientId(), null, deviceCert));
    assertEquals(5, e.getReasonCode());
  }

  @Test
  void withThePlainListenerTurnedOffOnlyTlsListens() throws Exception {
    int plainPort = io.gridline.devservices.FreePorts.find();
    MqttBridgeVerticle plainFalse = fixture.deploy(tlsConfig().put("mqtt.plain", false).put("mqtt.port", plainPort));
    assertEquals(-1, plainFalse.actualPort());
    assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", plainPort).close());
    MqttClient c = connect(plainFalse.actualTlsPort(), device.clientId(), fixture.issueSecret(device), null);
    c.disconnect();
    c.close();

    MqttBridgeVerticle portOff = fixture.deploy(tlsConfig().put("mqtt.port", -1));
    assertEquals(-1, portOff.actualPort());
    MqttClient d = connect(portOff.actualTlsPort(), device.clientId(), fixture.issueSecret(device), null);
    d.disconnect();
    d.close();
  }

  @Test
  void withBothListenersOffTheBridgeDoesNotStartAndSaysWhy() {
    Throwable err = assertThrows(Throwable.class, () -> fixture.deploy(fixture.config().put("mqtt.plain", false)));
    StringBuilder messages = new StringBuilder();
    for (Throwable t = err; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append(" | ");
    }
    assertTrue(messages.toString().contains("mqtt.plain") && messages.toString().contains("mqtt.tls.cert-path"),
        messages.toString());
  }

  private static MqttClient connect(String clientId, String password, SelfSignedCertificate clientCert)
      throws Exception {
    return connect(tlsPort, clientId, password, clientCert);
  }

  private static MqttClient connect(int port, String clientId, String password, SelfSignedCertificate clientCert)
      throws Exception {
    MqttClient c = new MqttClient("ssl://127.0.0.1:" + port, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setHttpsHostnameVerificationEnabled(false);
    o.setConnectionTimeout(5);
    if (password != null) {
      o.setUserName(clientId);
      o.setPassword(password.toCharArray());
    }
    o.setSocketFactory(sslContext(clientCert).getSocketFactory());
    c.connect(o);
    return c;
  }

  private static SSLContext sslContext(SelfSignedCertificate clientCert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", certificate(server.certificatePath()));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (clientCert != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("device", privateKey(clientCert.privateKeyPath()), new char[0],
          new Certificate[] {certificate(clientCert.certificatePath())});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static Certificate certificate(String path) throws Exception {
    return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(path))));
  }

  private static PrivateKey privateKey(String path) throws Exception {
    String pem = Files.readString(Path.of(path)).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem));
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (java.security.spec.InvalidKeySpecException notRsa) {
      return KeyFactory.getInstance("EC").generatePrivate(spec);
    }
  }
}
