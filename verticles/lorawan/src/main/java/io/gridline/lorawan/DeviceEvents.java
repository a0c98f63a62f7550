package io.gridline.lorawan;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaRecords;
import io.gridline.contracts.Topics;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.runtime.device.EventIds;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;

/**
 * The LoRaWAN device events on {@code gridline.events} (key = registry device id): {@code lorawan.uplink},
 * {@code lorawan.join}, {@code lorawan.ack} and the shared {@code command.*}. The event id derives from the cause (the
 * frame, the join, the command and its status), so an uplink handled twice emits the same event id.
 */
public final class DeviceEvents {
  private final KafkaProducer<String, Buffer> producer;

  public DeviceEvents(KafkaProducer<String, Buffer> producer) {
    this.producer = producer;
  }

  /** Publishes; completes when Kafka acknowledged it. */
  public Future<Void> publish(String type, String tenantId, long deviceId, String cause, long occurredAtMs,
      JsonObject data) {
    DeviceEvent event = new DeviceEvent(EventIds.fromDevice(deviceId, cause, type).toString(), type, tenantId,
        deviceId, ExternalIds.LORAWAN, occurredAtMs, data);
    return producer.send(KafkaRecords.of(Topics.EVENTS, Long.toString(deviceId), KafkaCodecs.DEVICE_EVENT, event))
        .mapEmpty();
  }
}
