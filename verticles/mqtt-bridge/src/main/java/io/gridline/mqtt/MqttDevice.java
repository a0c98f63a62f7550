package io.gridline.mqtt;

import java.util.Set;

/**
 * A registered {@code mqtt} device as the bridge needs it at CONNECT.
 *
 * @param secretHash         SHA-256 of its current secret, or null when none was issued
 * @param certificateSerials serials (lower-case hex) of its active certificates: issued for this device row, not
 *                           revoked, not expired
 */
record MqttDevice(long id, String tenantId, String mac, byte[] secretHash, Set<String> certificateSerials) {
  MqttDevice {
    certificateSerials = Set.copyOf(certificateSerials);
  }

  String clientId() {
    return ClientIds.of(mac);
  }
}
