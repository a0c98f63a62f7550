package io.gridline.lorawan.gateway;

import io.gridline.lrwn.semtechudp.TxPacket;
import io.vertx.core.json.JsonObject;

/**
 * A frame for one gateway to transmit.
 *
 * @param downlinkId what the gateway's TX_ACK is reported against: the command id of a queued downlink, or a fresh
 *                   id for join accepts and empty ACK frames
 * @param context    the uplink's {@link RxInfo#context} the backend answers through
 */
public record DownlinkFrame(String gatewayId, TxPacket txpk, String downlinkId, String context) {

  /** The event-bus form, for a gateway held by another node. */
  public JsonObject toJson() {
    return new JsonObject().put("gatewayId", gatewayId).put("txpk", txpk.toJson()).put("downlinkId", downlinkId)
        .put("context", context);
  }
}
