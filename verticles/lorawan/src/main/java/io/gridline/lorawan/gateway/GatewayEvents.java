package io.gridline.lorawan.gateway;

import io.gridline.lrwn.semtechudp.TxAckError;

/** What a gateway backend reports to the network server. */
public interface GatewayEvents {
  /** A data frame or join request one gateway received (copies from other gateways arrive separately). */
  void uplink(UplinkFrame frame);

  /** The gateway's answer to a downlink: scheduled ({@link TxAckError#NONE}) or why not. */
  void txAck(String gatewayId, String downlinkId, TxAckError error);
}
