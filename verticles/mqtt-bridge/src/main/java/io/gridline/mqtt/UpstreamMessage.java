package io.gridline.mqtt;

import io.vertx.mqtt.messages.MqttPublishMessage;

/** One message received from the upstream broker on its way through {@link UpstreamForwarder#forward}. */
record UpstreamMessage(String topic, byte[] payload, int qos, long receivedAt) {
  static UpstreamMessage of(MqttPublishMessage msg) {
    return new UpstreamMessage(msg.topicName(), msg.payload().getBytes(), msg.qosLevel().value(),
        System.currentTimeMillis());
  }
}
