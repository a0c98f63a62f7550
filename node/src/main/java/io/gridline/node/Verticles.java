package io.gridline.node;

import io.gridline.api.ApiVerticle;
import io.gridline.lorawan.LorawanVerticle;
import io.gridline.mqtt.MqttBridgeVerticle;
import io.gridline.sink.TimescaleSinkVerticle;
import io.gridline.processor.StreamProcessorVerticle;
import io.gridline.webhooks.WebhooksVerticle;
import java.util.List;

/** Every verticle a node can deploy, by the name {@code --verticles} uses. A new verticle is one line here. */
public final class Verticles {
  public static final List<RegisteredVerticle> ALL = List.of(
      RegisteredVerticle.of(MqttBridgeVerticle.SPEC, "mqtt.port", "mqtt.tls-port"),
      RegisteredVerticle.of(StreamProcessorVerticle.SPEC),
      RegisteredVerticle.of(TimescaleSinkVerticle.SPEC),
      RegisteredVerticle.of(WebhooksVerticle.SPEC),
      RegisteredVerticle.of(LorawanVerticle.SPEC, "lorawan.udp-port"),
      RegisteredVerticle.of(ApiVerticle.SPEC, "api.port"));

  private Verticles() {}

  /** The registered names, in registration order. */
  public static List<String> names() {
    return ALL.stream().map(RegisteredVerticle::name).toList();
  }
}
