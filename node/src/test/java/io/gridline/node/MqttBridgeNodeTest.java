package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.devservices.FreePorts;
import io.gridline.testkit.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node deploys mqtt-bridge on mqtt.port with its resolved config and reports its Kafka check. */
class MqttBridgeNodeTest {

  @Test
  void theBridgeListensOnItsPortAndRefusesAnUnregisteredDevice() throws Exception {
    Map<String, String> env = TestNodes.env();
    int mqttPort = FreePorts.find();
    env.put("GRIDLINE_MQTT_PORT", Integer.toString(mqttPort));
    env.put("GRIDLINE_KAFKA_BOOTSTRAP_SERVERS", TestStores.kafkaBootstrap());
    env.put("GRIDLINE_REDIS_URL", TestStores.redisUrl());
    Node node = TestNodes.start(env, "--verticles", "mqtt-bridge");
    try {
      var ready = TestNodes.await(node.opsPort(), "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(30));
      assertEquals("UP", NodeLifecycleTest.checks(TestNodes.json(ready)).get("verticle.mqtt-bridge.kafka"));

      try (Socket s = new Socket("127.0.0.1", mqttPort)) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(connect("f2-0000000000aa"));
        byte[] connack = new byte[4];
        new DataInputStream(s.getInputStream()).readFully(connack);
        assertArrayEquals(new byte[] {0x20, 2, 0, 5}, connack); // not authorized: no such device
      }
    } finally {
      TestNodes.stop(node);
    }
  }

  /** An MQTT 3.1.1 CONNECT without credentials. */
  private static byte[] connect(String clientId) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] name = "MQTT".getBytes(StandardCharsets.US_ASCII);
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    body.write(0);
    body.write(name.length);
    body.writeBytes(name);
    body.write(4); // protocol level 3.1.1
    body.write(0x02); // clean session
    body.write(0);
    body.write(60);
    body.write(0);
    body.write(id.length);
    body.writeBytes(id);
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    packet.write(body.size());
    packet.writeBytes(body.toByteArray());
    return packet.toByteArray();
  }
}
