package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.testkit.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev profile's TLS listener: with {@code mqtt.tls.generate=true}, {@code mqtt.device-ca.generate=true} and no
 * certificate paths, the bridge generates a server certificate signed by the device CA into the data dir and serves
 * TLS with it. A device that trusts only the device CA verifies the server (host name checked against the IP SAN) and
 * connects with a certificate issued by that CA, or with its password (client certificates are optional).
 */
class GeneratedTlsTest {
  private static BridgeFixture fixture;
  private static Path dataDir;
  private static DeviceCertificateAuthority ca;
  private static int tlsPort;

  @BeforeAll
  static void start() throws Exception {
    fixture = new BridgeFixture();
    dataDir = Files.createTempDirectory("gridline-mqtt-tls-");
    tlsPort = fixture.deploy(config()).actualTlsPort();
    ca = DeviceCertificateAuthority.loadOrGenerate(dataDir); // the CA the bridge generated, as the api would load it
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static io.vertx.core.json.JsonObject config() {
    return fixture.config()
        .put("devservices.data-dir", dataDir.toString())
        .put("mqtt.device-ca.generate", true)
        .put("mqtt.tls.generate", true);
  }

  @Test
  void theGeneratedCertificateIsSignedByTheDeviceCaForLocalhostAndThisHost() throws Exception {
    assertTrue(tlsPort > 0, "the TLS listener is up");
    X509Certificate server = (X509Certificate) Clients.certificate(Files.readString(dataDir.resolve("mqtt-server.crt.pem")));
    server.verify(ca.caCertificate().getPublicKey());
    assertEquals("EC", server.getPublicKey().getAlgorithm());
    Set<String> names = server.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1)))
        .collect(Collectors.toSet());
    assertTrue(names.containsAll(List.of("localhost", "127.0.0.1",
        java.net.InetAddress.getLocalHost().getHostName())), names.toString());
  }

  @Test
  void anIssuedDeviceCertificatePublishesWithQos1() throws Exception {
    BridgeFixture.Device device = fixture.device();
    MqttClient c = connect(device.clientId(), fixture.issueCertificate(device, ca), null);
    c.publish(device.statTopic(), Clients.payload("0C"), 1, false); // returns once PUBACK arrived
    c.disconnect();
    c.close();
    assertTrue(BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, device.mac(), 1,
        Duration.ofSeconds(15)).size() >= 1);
  }

  @Test
  void aPasswordWorksWithoutAClientCertificate() throws Exception {
    BridgeFixture.Device device = fixture.device();
    MqttClient c = connect(device.clientId(), null, fixture.issueSecret(device));
    c.publish(device.statTopic(), Clients.payload("0D"), 1, false);
    c.disconnect();
    c.close();
  }

  @Test
  void aRestartReusesTheGeneratedCertificate() throws Exception {
    String before = Files.readString(dataDir.resolve("mqtt-server.crt.pem"));
    String id = fixture.deployId(config()); // a second instance on the same data dir, as after a restart
    try {
      assertEquals(before, Files.readString(dataDir.resolve("mqtt-server.crt.pem")));
    } finally {
      BridgeFixture.await(fixture.vertx.undeploy(id));
    }
  }

  private static MqttClient connect(String clientId, DeviceCertificateAuthority.Issued issued, String password)
      throws Exception {
    MqttClient c = new MqttClient("ssl://127.0.0.1:" + tlsPort, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setHttpsHostnameVerificationEnabled(true); // the certificate's IP SAN 127.0.0.1
    o.setConnectionTimeout(5);
    o.setSocketFactory(Clients.deviceTls(Files.readString(dataDir.resolve("device-ca.crt.pem")), issued).getSocketFactory());
    if (password != null) {
      o.setUserName(clientId);
      o.setPassword(password.toCharArray());
    }
    c.setTimeToWait(10_000);
    c.connect(o);
    return c;
  }
}
