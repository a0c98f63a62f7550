package io.gridline.lrwn.gw;

import java.util.List;

/**
 * A ChirpStack v4 {@code gw.DownlinkTxAck} as published on {@code <region>/gateway/<gatewayId>/event/ack}: what the
 * gateway did with each item of a {@link BridgeDownlink}.
 *
 * @param status {@code OK} when an item was scheduled, else the first item's failure ({@code TOO_LATE},
 *               {@code COLLISION_PACKET}, {@code TX_FREQ}, …; {@code IGNORED} when no item was tried)
 */
public record BridgeTxAck(String gatewayId, long downlinkId, String status) {
  /** {@code gw.TxAckStatus} by number, for acks whose enums are written as numbers. */
  static final List<String> STATUSES = List.of("IGNORED", "OK", "TOO_LATE", "TOO_EARLY", "COLLISION_PACKET",
      "COLLISION_BEACON", "TX_FREQ", "TX_POWER", "GPS_UNLOCKED", "QUEUE_FULL", "INTERNAL_ERROR",
      "DUTY_CYCLE_OVERFLOW");

  public static BridgeTxAck fromJson(byte[] payload) throws GatewayBridgeException {
    Fields root = Fields.root(payload);
    String status = "IGNORED";
    for (Fields item : root.objects("items")) {
      String s = status(item);
      if (s.equals("OK")) {
        status = s;
        break;
      }
      if (status.equals("IGNORED")) {
        status = s;
      }
    }
    return new BridgeTxAck(BridgeUplink.gatewayId(root), root.integer("downlinkId", 0, 0xFFFF_FFFFL), status);
  }

  public boolean scheduled() {
    return status.equals("OK");
  }

  private static String status(Fields item) throws GatewayBridgeException {
    if (!item.has("status")) {
      return "IGNORED"; // proto3 JSON leaves the default (0) out
    }
    try {
      return STATUSES.get((int) item.integer("status", 0, STATUSES.size() - 1));
    } catch (GatewayBridgeException notANumber) {
      String s = item.string("status").orElse("IGNORED");
      if (!STATUSES.contains(s)) {
        throw item.bad("status", "not a TxAckStatus: " + s);
      }
      return s;
    }
  }
}
