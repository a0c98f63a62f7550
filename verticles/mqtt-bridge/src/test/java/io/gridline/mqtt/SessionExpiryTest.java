package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A persistent session outlives its connection by its expiry interval (MQTT 5: the device's, capped at
 * {@code mqtt.session-expiry-max}; 3.1.1: the cap) and is then gone: a reconnect gets session-present=false, so none of
 * its subscriptions or QoS 2 state. Here the cap is 2 s.
 */
class SessionExpiryTest {
  private static BridgeFixture fixture;
  private static int port;

  @BeforeAll
  static void start() {
    fixture = new BridgeFixture();
    port = fixture.deploy(fixture.config().put("mqtt.session-expiry-max", "PT2S")).actualPort();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void anMqtt5SessionIsGoneOnceItsIntervalElapsed() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    V5 first = V5.connect(d, secret, 1);
    assertFalse(first.sessionPresent);
    first.client.subscribe("cmnd/" + d.clientId() + "/#", 1).waitForCompletion(5_000);
    first.disconnect();

    V5 soon = V5.connect(d, secret, 1); // within the interval: resumed
    assertTrue(soon.sessionPresent);
    soon.disconnect();

    Thread.sleep(2_000);
    V5 late = V5.connect(d, secret, 1);
    assertFalse(late.sessionPresent, "the session outlived its 1 s expiry interval");
    late.disconnect();
  }

  @Test
  void aLongerMqtt5IntervalIsCappedAndConnackSaysSo() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    V5 first = V5.connect(d, secret, 3_600);
    assertEquals(2L, first.grantedExpiry, "CONNACK's session expiry interval");
    first.disconnect();
    assertTrue(V5.connect(d, secret, 3_600).disconnect().sessionPresent);

    Thread.sleep(3_000);
    V5 late = V5.connect(d, secret, 3_600);
    assertFalse(late.sessionPresent, "the session outlived mqtt.session-expiry-max");
    late.disconnect();
  }

  @Test
  void anMqtt5DisconnectCanEndTheSessionAtOnce() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    V5 first = V5.connect(d, secret, 60);
    MqttProperties zero = new MqttProperties();
    zero.setSessionExpiryInterval(0L);
    first.client.disconnect(5_000, null, null, 0, zero).waitForCompletion(5_000);
    first.client.close();

    V5 again = V5.connect(d, secret, 60);
    assertFalse(again.sessionPresent, "DISCONNECT set the interval to 0");
    again.disconnect();
  }

  @Test
  void aPersistent311SessionLivesTheCapAfterItsConnection() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    assertFalse(Clients.sessionPresent(port, d, secret, false));
    assertTrue(Clients.sessionPresent(port, d, secret, false));
    Thread.sleep(3_000);
    assertFalse(Clients.sessionPresent(port, d, secret, false), "the 3.1.1 session outlived mqtt.session-expiry-max");
  }

  @Test
  void expiryNeverRemovesASessionItsDeviceReconnectedTo() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    V5 first = V5.connect(d, secret, 2);
    first.disconnect(); // the 2 s expiry starts
    V5 back = V5.connect(d, secret, 2);
    assertTrue(back.sessionPresent);
    Thread.sleep(3_000); // past the first disconnect's expiry, still connected
    back.disconnect();
    V5 again = V5.connect(d, secret, 2);
    assertTrue(again.sessionPresent, "the expiry of an earlier connection removed a resumed session");
    again.disconnect();
  }

  /** A Paho MQTT 5 device connected without clean start, asking for {@code expiry} seconds. */
  private record V5(MqttAsyncClient client, boolean sessionPresent, Long grantedExpiry) {
    static V5 connect(BridgeFixture.Device d, String secret, long expiry) throws Exception {
      MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + port, d.clientId(),
          new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setCleanStart(false);
      o.setSessionExpiryInterval(expiry);
      o.setConnectionTimeout(5);
      o.setUserName(d.clientId());
      o.setPassword(secret.getBytes(StandardCharsets.UTF_8));
      IMqttToken t = c.connect(o);
      t.waitForCompletion(10_000);
      MqttProperties props = t.getResponseProperties();
      return new V5(c, t.getSessionPresent(), props == null ? null : props.getSessionExpiryInterval());
    }

    V5 disconnect() throws Exception {
      client.disconnect().waitForCompletion(5_000);
      client.close();
      return this;
    }
  }
}
