package io.gridline.mqtt;

/**
 * A registered {@code mqtt} device as the bridge needs it at CONNECT.
 *
 * @param secretHash SHA-256 of its current secret, or null when none was issued
 */
record MqttDevice(long id, String tenantId, String mac, byte[] secretHash) {
  String clientId() {
    return ClientIds.of(mac);
  }
}
