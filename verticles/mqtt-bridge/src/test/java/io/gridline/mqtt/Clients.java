package io.gridline.mqtt;

import io.gridline.runtime.DeviceCertificateAuthority;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;

/** Real MQTT clients (Eclipse Paho) for 3.1.1 and 5. */
final class Clients {
  private Clients() {}

  static MqttClient v3(int port, String clientId, String password, boolean clean) throws MqttException {
    MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(clean);
    o.setConnectionTimeout(5);
    if (password != null) {
      o.setUserName(clientId);
      o.setPassword(password.toCharArray());
    }
    c.setTimeToWait(10_000);
    c.connect(o);
    return c;
  }

  static MqttAsyncClient v5(int port, String clientId, String password) throws org.eclipse.paho.mqttv5.common.MqttException {
    MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId,
        new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setConnectionTimeout(5);
    if (password != null) {
      o.setUserName(clientId);
      o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    c.connect(o).waitForCompletion(10_000);
    return c;
  }

  /** A 3.1.1 device connecting and disconnecting again: whether CONNACK said session-present. */
  static boolean sessionPresent(int port, BridgeFixture.Device d, String secret, boolean clean) throws MqttException {
    MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, d.clientId(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(clean);
    o.setUserName(d.clientId());
    o.setPassword(secret.toCharArray());
    boolean present = c.connectWithResult(o).getSessionPresent();
    c.disconnect();
    c.close();
    return present;
  }

  static byte[] payload(String hex) {
    return ("{\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"data\":\"" + hex + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * What a device does with the PEMs of {@code POST /api/v1/devices/{id}/certificate}: trusts {@code trustPem} (the
   * server's certificate or the CA that signed it) and presents the issued certificate when there is one.
   */
  static SSLContext deviceTls(String trustPem, DeviceCertificateAuthority.Issued issued) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("trusted", certificate(trustPem));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (issued != null) {
      keys.setKeyEntry("device", privateKey(issued.privateKeyPem()), new char[0],
          new Certificate[] {certificate(issued.certificatePem()), certificate(issued.caPem())});
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  static Certificate certificate(String pem) throws Exception {
    return CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static PrivateKey privateKey(String pem) throws Exception {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }
}
