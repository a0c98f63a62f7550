package io.gridline.lorawan;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The LoRaWAN network server's metrics ({@code gridline_lorawan_*} in Prometheus). */
public final class LorawanMeters {
  private final MeterRegistry registry;
  private final Timer uplinkLatency;

  public LorawanMeters(MeterRegistry registry) {
    this.registry = registry;
    uplinkLatency = Timer.builder("gridline.lorawan.uplink.latency")
        .description("first copy received → uplink handled (includes the dedup window)")
        .publishPercentiles(0.5, 0.99).register(registry);
  }

  /** A datagram handled, by type (push-data, pull-data, tx-ack, pull-resp). */
  public void datagram(String type) {
    registry.counter("gridline.lorawan.datagrams", "type", type).increment();
  }

  /** A datagram dropped, by reason (the codec's refusal label, unknown-gateway, …). */
  public void datagramRefused(String reason) {
    registry.counter("gridline.lorawan.datagrams.refused", "reason", reason).increment();
  }

  /** An rxpk not handled (crc-failed, not-lora). */
  public void rxpkDropped(String reason) {
    registry.counter("gridline.lorawan.rxpk.dropped", "reason", reason).increment();
  }

  /** A gateway's TX_ACK, by error (none = scheduled). */
  public void txAck(String error) {
    registry.counter("gridline.lorawan.tx.acks", "error", error).increment();
  }

  /** A message of the ChirpStack gateway bridges handled, by type (up, stats, ack, down). */
  public void mqttMessage(String type) {
    registry.counter("gridline.lorawan.mqtt.messages", "type", type).increment();
  }

  /** A gateway bridge message dropped, by reason (the codec's refusal label, unknown-gateway, …). */
  public void mqttMessageRefused(String reason) {
    registry.counter("gridline.lorawan.mqtt.messages.refused", "reason", reason).increment();
  }

  /**
   * Datagrams the kernel dropped for the Semtech UDP socket because its receive buffer was full (Linux; NaN
   * elsewhere): {@code lorawan.udp-receive-buffer-bytes} and {@code net.core.rmem_max} too small for the bursts.
   */
  public void kernelDrops(int port, Supplier<OptionalLong> drops) {
    Gauge.builder("gridline.lorawan.udp.kernel.drops", () -> {
      OptionalLong d = drops.get();
      return d.isPresent() ? d.getAsLong() : Double.NaN;
    }).description("datagrams dropped by the kernel before the server read them (socket buffer full)")
        .tag("port", Integer.toString(port)).register(registry);
  }

  /** A copy of an uplink another copy handles. */
  public void dedupCopy() {
    registry.counter("gridline.lorawan.dedup.copies").increment();
  }

  public void uplinkAccepted(long firstSeenMs) {
    registry.counter("gridline.lorawan.uplinks.accepted").increment();
    uplinkLatency.record(Math.max(0, System.currentTimeMillis() - firstSeenMs), TimeUnit.MILLISECONDS);
  }

  /** A refused uplink or join, by reason (mic-mismatch, replay, unknown-devaddr, dev-nonce-replay, …). */
  public void uplinkRefused(String reason) {
    registry.counter("gridline.lorawan.uplinks.refused", "reason", reason).increment();
  }

  public void joinAccepted() {
    registry.counter("gridline.lorawan.joins.accepted").increment();
  }

  /** A downlink handed to a gateway, by kind (join-accept, data, ack, mac) and path (local, remote). */
  public void downlink(String kind, String path) {
    registry.counter("gridline.lorawan.downlinks", "kind", kind, "path", path).increment();
  }

  /** A downlink that could not go out, by reason. */
  public void downlinkFailed(String reason) {
    registry.counter("gridline.lorawan.downlinks.failed", "reason", reason).increment();
  }

  /** An external network server's event applied, by source (chirpstack) and event (up, join, status, …). */
  public void integrationEvent(String source, String event) {
    registry.counter("gridline.lorawan.integration.events", "source", source, "event", event).increment();
  }

  /** Reads the count of a refusal reason (tests). */
  public double refused(String reason) {
    var c = registry.find("gridline.lorawan.uplinks.refused").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }
}
