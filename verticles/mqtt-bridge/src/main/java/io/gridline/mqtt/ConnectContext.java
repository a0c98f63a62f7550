package io.gridline.mqtt;

import io.vertx.mqtt.MqttEndpoint;

/** One CONNECT on its way through {@link DeviceAuthenticator}: what was read so far. */
final class ConnectContext {
  final MqttEndpoint endpoint;
  final long receivedAt = System.currentTimeMillis();
  String mac;
  MqttDevice device;
  DeviceCredentials credentials;
  boolean slotReserved;
  /** The client went away while its CONNECT was being checked. */
  boolean abandoned;

  ConnectContext(MqttEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  boolean mqtt5() {
    return endpoint.protocolVersion() == 5;
  }
}
