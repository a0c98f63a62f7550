package io.gridline.contracts.mqtt;

import java.util.Objects;

/**
 * A command for an MQTT device, sent by the api (request/reply) to {@code NodeAddresses.nodeAddress(owner,
 * MqttOwnership.VERTICLE)} on the node that holds the device's connection; the reply is a {@link CommandResult}.
 *
 * @param commandId     UUID text, returned to the caller
 * @param tenantId      owning tenant (UUID text)
 * @param deviceId      registry id
 * @param clientId      {@code f2-<mac>}
 * @param topic         full topic, {@code cmnd/f2-<mac>/<suffix>}
 * @param payloadBase64 the payload bytes, base64
 * @param qos           0, 1 or 2
 */
public record DeviceCommand(String commandId, String tenantId, long deviceId, String clientId, String topic,
    String payloadBase64, int qos) {
  public DeviceCommand {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payloadBase64, "payloadBase64");
  }
}
