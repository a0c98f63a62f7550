package io.gridline.lorawan.gateway;

import io.vertx.core.Future;

/**
 * A way gateways reach the network server (ChirpStack's gateway backends): Semtech UDP packet forwarders, or the
 * ChirpStack gateway bridge over MQTT. It reports what gateways send to {@link GatewayEvents} and transmits downlinks
 * through the gateways it holds.
 */
public interface GatewayBackend {
  Future<Void> start();

  /** Whether this backend, on this node, can reach the gateway now. */
  boolean holds(String gatewayId);

  /** Hands the frame to its gateway; fails when this backend does not hold it. */
  Future<Void> send(DownlinkFrame frame);

  Future<Void> stop();
}
