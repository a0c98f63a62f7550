package io.gridline.mqtt;

import io.vertx.mqtt.messages.MqttPublishMessage;

/**
 * One PUBLISH (or will message) on its way through {@link DeviceConnection#onPublish}.
 *
 * @param will true for a will message: published like any publish, but nobody waits for an acknowledgement
 */
record PublishContext(String topic, byte[] payload, int qos, int messageId, boolean will, long receivedAt) {
  static PublishContext of(MqttPublishMessage msg) {
    return new PublishContext(msg.topicName(), msg.payload().getBytes(), msg.qosLevel().value(), msg.messageId(), false,
        System.currentTimeMillis());
  }
}
