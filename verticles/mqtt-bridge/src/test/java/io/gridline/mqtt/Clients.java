package io.gridline.mqtt;

import java.nio.charset.StandardCharsets;
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

  static byte[] payload(String hex) {
    return ("{\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"data\":\"" + hex + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
