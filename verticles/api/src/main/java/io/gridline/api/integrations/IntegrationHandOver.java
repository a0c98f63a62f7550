package io.gridline.api.integrations;

import io.gridline.api.http.Problem;
import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaRecords;
import io.gridline.contracts.Topics;
import io.gridline.contracts.lorawan.IntegrationEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;

/**
 * Hands accepted integration events to the lorawan verticle on Kafka {@code gridline.lorawan.integration} (key =
 * registry device id, so one device's events stay in order); the api answers only once Kafka acknowledged. An api node
 * without Kafka ({@code kafka.bootstrap-servers} unset and no other verticle of the node needing it) has no producer:
 * the integration routes answer 503.
 */
public final class IntegrationHandOver {
  private final KafkaProducer<String, Buffer> producer;

  /** @param producer null when this node has no Kafka */
  public IntegrationHandOver(KafkaProducer<String, Buffer> producer) {
    this.producer = producer;
  }

  Future<Void> send(IntegrationEvent event) {
    if (producer == null) {
      return Future.failedFuture(Problem.serviceUnavailable("this api node has no Kafka (kafka.bootstrap-servers) to "
          + "hand integration events to the lorawan verticle"));
    }
    return producer.send(KafkaRecords.of(Topics.LORAWAN_INTEGRATION, Long.toString(event.deviceId()),
        KafkaCodecs.INTEGRATION_EVENT, event)).mapEmpty();
  }
}
