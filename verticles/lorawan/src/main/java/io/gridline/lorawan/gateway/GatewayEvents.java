package io.gridline.lorawan.gateway;

import java.util.Optional;

/** What a gateway backend reports to the network server. */
public interface GatewayEvents {
  /** A data frame or join request one gateway received (copies from other gateways arrive separately). */
  void uplink(UplinkFrame frame);

  /**
   * The gateway's answer to a downlink: scheduled (empty) or why not, in the gateway protocol's words (Semtech
   * {@code TOO_LATE}, ChirpStack {@code COLLISION_PACKET}, …).
   */
  void txAck(String gatewayId, String downlinkId, Optional<String> error);
}
