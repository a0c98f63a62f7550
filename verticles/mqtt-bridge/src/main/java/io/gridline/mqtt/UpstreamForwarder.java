package io.gridline.mqtt;

import io.gridline.contracts.telemetry.RawTelemetry;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.UntrustedText;
import io.gridline.runtime.device.DeviceDirectory;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a message from the upstream broker into the same Kafka record a device's own publish makes: the topic's
 * {@code f2-<mac>} names the device, which must belong to one of {@code mqtt.upstream.tenants}. The returned future
 * succeeds when the message may be acknowledged upstream (written and acknowledged by Kafka, or dropped with a counted
 * reason) and fails when it must not (Kafka or the registry failed, or Kafka holds too much of this node's data
 * unacknowledged: the broker redelivers it).
 */
final class UpstreamForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamForwarder.class);
  /** Whoever publishes on the site broker provokes drops at will: a budget of log lines, the topic quoted escaped. */
  private static final LogThrottle DROPS = new LogThrottle(LOG, 20);
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
  private final UpstreamSettings settings;
  private Future<?> previous = Future.succeededFuture();

  UpstreamForwarder(DeviceDirectory directory, TelemetryWriter writer, BridgeMeters meters,
      UpstreamSettings settings) {
    this.directory = directory;
    this.writer = writer;
    this.meters = meters;
    this.settings = settings;
  }

  Future<Void> forward(UpstreamMessage msg) {
    // lookups finish in arrival order, so the Kafka sends keep the broker's order (a cold cache could reorder them)
    Future<MqttDevice> device = previous.transform(ar -> checkPayloadSize(msg)
        .compose(v -> readMac(msg))
        .compose(this::findDevice)
        .compose(this::checkTenant));
    previous = device;
    return device
        .compose(this::checkKafkaBacklog)
        .compose(d -> write(d, msg))
        .onSuccess(v -> meters.upstreamForwarded())
        .recover(err -> err instanceof Dropped d ? drop(msg, d) : Future.failedFuture(err));
  }

  private Future<Void> checkPayloadSize(UpstreamMessage msg) {
    return msg.payload().length > settings.maxPayloadBytes()
        ? Future.failedFuture(new Dropped("payload-too-large")) : Future.succeededFuture();
  }

  private static Future<String> readMac(UpstreamMessage msg) {
    var m = TOPIC.matcher(msg.topic());
    return (m.matches() ? ClientIds.mac(m.group(1)) : java.util.Optional.<String>empty())
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new Dropped("malformed-topic")));
  }

  private Future<MqttDevice> findDevice(String mac) {
    return directory.lookup(ExternalIds.MQTT, mac).compose(device -> device.map(MqttDevice::of)
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new Dropped("unknown-device"))));
  }

  /** The trust boundary: the site broker speaks only for the devices of mqtt.upstream.tenants. */
  private Future<MqttDevice> checkTenant(MqttDevice device) {
    return settings.forwardsTenant(device.tenantId())
        ? Future.succeededFuture(device)
        : Future.failedFuture(new Dropped("foreign-tenant"));
  }

  /** Not acknowledged upstream: the broker keeps the message and redelivers it once the link reconnects. */
  private Future<MqttDevice> checkKafkaBacklog(MqttDevice device) {
    return writer.backlogFull()
        ? Future.failedFuture(new IllegalStateException("Kafka has not acknowledged mqtt.max-pending-bytes or "
            + "mqtt.max-pending-records of this node's records"))
        : Future.succeededFuture(device);
  }

  private Future<Void> write(MqttDevice device, UpstreamMessage msg) {
    return writer.write(new RawTelemetry(device.tenantId(), device.id(), device.mac(), msg.topic(), device.clientId(),
        msg.qos(), msg.payload(), msg.receivedAt()));
  }

  private Future<Void> drop(UpstreamMessage msg, Dropped d) {
    meters.upstreamDropped(d.reason);
    DROPS.info("upstream message on {} dropped: {}", UntrustedText.forLog(msg.topic()), d.reason);
    return Future.succeededFuture();
  }
}
