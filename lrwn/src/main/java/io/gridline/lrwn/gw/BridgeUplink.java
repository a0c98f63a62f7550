package io.gridline.lrwn.gw;

import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.gw.GatewayBridgeException.Reason;
import io.gridline.lrwn.region.DataRate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A ChirpStack v4 {@code gw.UplinkFrame} in the gateway bridge's JSON marshaling, as published on
 * {@code <region>/gateway/<gatewayId>/event/up}: the PHYPayload, {@code txInfo} (frequency, LoRa modulation) and one
 * gateway's {@code rxInfo}.
 *
 * @param uplinkId  the gateway's id of this reception (for its logs)
 * @param crcStatus {@code CRC_OK}, {@code BAD_CRC} or {@code NO_CRC} ({@code NO_CRC} when absent, proto3's default)
 * @param context   what the gateway needs to time a downlink against this uplink; the bridge's packet-forwarder
 *                  backend writes the concentrator counter there (4 octets big-endian), see {@link #tmst()}
 */
public record BridgeUplink(Bytes phyPayload, String gatewayId, long uplinkId, long frequencyHz, DataRate dataRate,
    int rssi, double snr, int channel, String crcStatus, Bytes context) {

  /** Reads an {@code event/up} payload. */
  public static BridgeUplink fromJson(byte[] payload) throws GatewayBridgeException {
    Fields root = Fields.root(payload);
    Fields tx = root.object("txInfo");
    Fields rx = root.object("rxInfo");
    byte[] phy = root.bytes("phyPayload");
    if (phy.length == 0) {
      throw root.bad("phyPayload", "missing");
    }
    Fields modulation = tx.object("modulation");
    if (!modulation.has("lora")) {
      throw new GatewayBridgeException(Reason.UNSUPPORTED_MODULATION,
          "txInfo.modulation has no lora (FSK and LR-FHSS uplinks are not handled)");
    }
    Fields lora = modulation.object("lora");
    int sf = (int) lora.integer("spreadingFactor", 5, 12);
    long bandwidthHz = lora.integer("bandwidth", 7_800, 1_625_000);
    return new BridgeUplink(Bytes.of(phy), gatewayId(rx), rx.integer("uplinkId", 0, 0xFFFF_FFFFL),
        tx.integer("frequency", 1, 0xFFFF_FFFFL), DataRate.lora(sf, (int) (bandwidthHz / 1000)),
        (int) rx.integer("rssi", -1000, 1000), rx.decimal("snr", -100, 100), (int) rx.integer("channel", 0, 255),
        rx.string("crcStatus").orElse("NO_CRC"), Bytes.of(rx.bytes("context")));
  }

  static String gatewayId(Fields f) throws GatewayBridgeException {
    String id = f.string("gatewayId").orElseThrow(() -> f.bad("gatewayId", "missing"));
    if (id.length() != 16) {
      throw f.bad("gatewayId", "not 16 hex digits");
    }
    try {
      HexFormat.of().parseHex(id);
    } catch (IllegalArgumentException e) {
      throw f.bad("gatewayId", "not 16 hex digits");
    }
    return id.toLowerCase(Locale.ROOT);
  }

  /** Whether the gateway received it intact; {@code BAD_CRC} frames are dropped as the UDP path drops them. */
  public boolean crcFailed() {
    return "BAD_CRC".equals(crcStatus);
  }

  /**
   * The concentrator's microsecond counter at reception, when the context holds one (the bridge's Semtech UDP
   * backend: 4 octets big-endian); a downlink's delay is counted from it.
   */
  public OptionalLong tmst() {
    return tmstOf(context);
  }

  /** The counter a context carries; see {@link #tmst()}. */
  public static OptionalLong tmstOf(Bytes context) {
    if (context.length() != 4) {
      return OptionalLong.empty();
    }
    byte[] b = context.toArray();
    return OptionalLong.of(((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL));
  }
}
