package io.gridline.mqtt;

import io.gridline.contracts.telemetry.RawTelemetry;
import io.vertx.core.Future;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a message from the upstream broker into the same Kafka record a device's own publish makes: the topic's
 * {@code f2-<mac>} names the device. The returned future succeeds when the message may be acknowledged upstream
 * (written and acknowledged by Kafka, or dropped with a counted reason) and fails when it must not (Kafka or the
 * registry failed: the broker redelivers it).
 */
final class UpstreamForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamForwarder.class);
  private static final Pattern TOPIC = Pattern.compile("(?:stat|tele)/(f2-[^/]+)/[^/]+/[^/]+/[^/]+");

  /** A message that is acknowledged and not forwarded. */
  static final class Dropped extends RuntimeException {
    final String reason;

    Dropped(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }
  }

  private final DeviceDirectory directory;
  private final TelemetryWriter writer;
  private final BridgeMeters meters;
  private final int maxPayloadBytes;
  private Future<?> previous = Future.succeededFuture();

  UpstreamForwarder(DeviceDirectory directory, TelemetryWriter writer, BridgeMeters meters, int maxPayloadBytes) {
    this.directory = directory;
    this.writer = writer;
    this.meters = meters;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  Future<Void> forward(UpstreamMessage msg) {
    // lookups finish in arrival order, so the Kafka sends keep the broker's order (a cold cache could reorder them)
    Future<MqttDevice> device = previous.transform(ar -> checkPayloadSize(msg)
        .compose(v -> readMac(msg))
        .compose(this::findDevice));
    previous = device;
    return device
        .compose(d -> write(d, msg))
        .onSuccess(v -> meters.upstreamForwarded())
        .recover(err -> err instanceof Dropped d ? drop(msg, d) : Future.failedFuture(err));
  }

  private Future<Void> checkPayloadSize(UpstreamMessage msg) {
    return msg.payload().length > maxPayloadBytes
        ? Future.failedFuture(new Dropped("payload-too-large")) : Future.succeededFuture();
  }

  private static Future<String> readMac(UpstreamMessage msg) {
    var m = TOPIC.matcher(msg.topic());
    return (m.matches() ? ClientIds.mac(m.group(1)) : java.util.Optional.<String>empty())
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new Dropped("malformed-topic")));
  }

  private Future<MqttDevice> findDevice(String mac) {
    return directory.byMac(mac).compose(device -> device.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new Dropped("unknown-device"))));
  }

  private Future<Void> write(MqttDevice device, UpstreamMessage msg) {
    return writer.write(new RawTelemetry(device.tenantId(), device.id(), device.mac(), msg.topic(), device.clientId(),
        msg.qos(), msg.payload(), msg.receivedAt()));
  }

  private Future<Void> drop(UpstreamMessage msg, Dropped d) {
    meters.upstreamDropped(d.reason);
    LOG.debug("upstream message on {} dropped: {}", msg.topic(), d.reason);
    return Future.succeededFuture();
  }
}
