package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.testkit.TestStores;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Session state: QoS 2 duplicate suppression, persistent sessions, take-over. */
class SessionTest {
  private static BridgeFixture fixture;
  private static int port;

  @BeforeAll
  static void start() {
    fixture = new BridgeFixture();
    port = fixture.deploy(fixture.config()).actualPort();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** Raw 3.1.1 packets, so the test controls packet ids and the DUP flag exactly. */
  @Test
  void aRetransmittedQos2PublishIsWrittenOnce() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      out.write(RawPackets.connect(d.clientId(), secret));
      assertArrayEquals(new byte[] {0x20, 2, 0, 0}, RawPackets.read(in, 4));

      byte[] payload = Clients.payload("0102");
      out.write(RawPackets.publishQos2(d.statTopic(), 7, false, payload));
      assertArrayEquals(new byte[] {0x50, 2, 0, 7}, RawPackets.read(in, 4)); // PUBREC after Kafka
      out.write(RawPackets.publishQos2(d.statTopic(), 7, true, payload)); // retransmission before PUBREL
      assertArrayEquals(new byte[] {0x50, 2, 0, 7}, RawPackets.read(in, 4));
      out.write(new byte[] {0x62, 2, 0, 7}); // PUBREL
      assertArrayEquals(new byte[] {0x70, 2, 0, 7}, RawPackets.read(in, 4)); // PUBCOMP
      out.write(RawPackets.publishQos2(d.statTopic(), 7, false, payload)); // id reused after completion: a new message
      assertArrayEquals(new byte[] {0x50, 2, 0, 7}, RawPackets.read(in, 4));
      out.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT
    }
    assertEquals(2, BridgeFixture.records(TestStores.kafkaBootstrap(), Topics.TELEMETRY_RAW, d.mac(), 3,
        Duration.ofSeconds(4)).size());
  }

  @Test
  void aPersistentSessionIsPresentOnReconnectAndACleanOneIsNot() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    assertFalse(Clients.sessionPresent(port, d, secret, false));
    assertTrue(Clients.sessionPresent(port, d, secret, false));
    assertFalse(Clients.sessionPresent(port, d, secret, true));
    assertFalse(Clients.sessionPresent(port, d, secret, false));
  }

  @Test
  void aSecondConnectionWithTheSameClientIdTakesOver() throws Exception {
    BridgeFixture.Device d = fixture.device();
    String secret = fixture.issueSecret(d);
    MqttClient first = Clients.v3(port, d.clientId(), secret, true);
    MqttClient second = Clients.v3(port, d.clientId(), secret, true);
    assertTrue(BridgeFixture.eventually(Duration.ofSeconds(5), first::isConnected, c -> !c));
    assertTrue(second.isConnected());
    second.publish(d.statTopic(), Clients.payload("03"), 1, false);
    Thread.sleep(300);
    assertEquals("online", fixture.row("SELECT status FROM devices WHERE id = $1", d.id()).getString(0));
    second.disconnect();
    first.close();
    second.close();
  }
}
