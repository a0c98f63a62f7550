package io.gridline.mqtt;

import io.gridline.runtime.device.RegisteredDevice;

/** A registered {@code mqtt} device as the bridge needs it: registry id, tenant and MAC (its external id). */
record MqttDevice(long id, String tenantId, String mac) {

  static MqttDevice of(RegisteredDevice device) {
    return new MqttDevice(device.id(), device.tenantId(), device.externalId());
  }

  String clientId() {
    return ClientIds.of(mac);
  }
}
