package io.gridline.lorawan;

import io.gridline.lrwn.frame.NetId;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.InvalidSetting;
import java.time.Duration;

/**
 * The lorawan verticle's settings, read from {@code lorawan.*} of {@code config/gridline.yaml} (the only place their
 * defaults are written).
 *
 * @param host                  bind address of the Semtech UDP listener
 * @param udpPort               its port (0 = any free port, -1 = off)
 * @param udpReceiveBufferBytes its SO_RCVBUF (the kernel caps it at net.core.rmem_max)
 * @param netId                 NetID sent in join accepts; fresh DevAddrs take its prefix
 * @param dedupWindowMs         how long the first node to see an uplink waits for other gateways' copies
 * @param acceptUnknownGateways handle datagrams of gateways not registered (else counted and dropped)
 * @param rx1DelaySeconds       RECEIVE_DELAY1 given to devices in join accepts and used for their downlinks
 * @param maxRetries            sends of a confirmed downlink without an ACK before it is dead
 * @param framesPerDevice       newest uplinks kept per device
 * @param integrationMaxAttempts tries of an integration event whose write fails before it is parked
 * @param statusIntervalMs      at most one last-seen/RSSI/SNR write per device per this interval
 * @param dlqMaxRowsPerTenant   the telemetry DLQ's bound per tenant ({@code processor.dlq-max-rows-per-tenant}: one
 *                              DLQ, whoever writes to it)
 * @param dlqMaxAge             its age bound ({@code processor.dlq-max-age})
 * @param modelsRefreshMs       how often the sensor models are reloaded ({@code processor.models-refresh-ms})
 */
public record LorawanSettings(String host, int udpPort, int udpReceiveBufferBytes, NetId netId, long dedupWindowMs,
    boolean acceptUnknownGateways, int rx1DelaySeconds, int maxRetries, int framesPerDevice, int integrationMaxAttempts,
    long statusIntervalMs,
    int dlqMaxRowsPerTenant,
    Duration dlqMaxAge, long modelsRefreshMs) {

  public static LorawanSettings from(GridlineConfig config) {
    NetId netId;
    try {
      netId = NetId.fromHex(config.string("lorawan.net-id"));
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting("lorawan.net-id", "is not a NetID of 6 hex digits: " + e.getMessage());
    }
    int rx1Delay = config.positiveInt("lorawan.rx1-delay-seconds");
    if (rx1Delay > 15) {
      throw new InvalidSetting("lorawan.rx1-delay-seconds", "must be 1..15 (RxDelay is 4 bits), got " + rx1Delay);
    }
    return new LorawanSettings(config.string("lorawan.host"), config.portOrOff("lorawan.udp-port"),
        config.positiveInt("lorawan.udp-receive-buffer-bytes"), netId,
        config.nonNegativeLong("lorawan.dedup-window-ms"), config.bool("lorawan.accept-unknown-gateways"), rx1Delay,
        config.positiveInt("lorawan.max-retries"), config.positiveInt("lorawan.frames-per-device"),
        config.positiveInt("lorawan.integration-max-attempts"), config.nonNegativeLong("lorawan.status-interval-ms"),
        config.positiveInt("processor.dlq-max-rows-per-tenant"), config.duration("processor.dlq-max-age"),
        config.positiveLong("processor.models-refresh-ms"));
  }
}
