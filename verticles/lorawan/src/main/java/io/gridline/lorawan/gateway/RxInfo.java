package io.gridline.lorawan.gateway;

import io.vertx.core.json.JsonObject;

/**
 * One gateway's reception of an uplink: what the backends (Semtech UDP, MQTT) hand the uplink path, and what dedup
 * keeps per copy in Redis.
 *
 * @param gatewayId   16 lower-case hex digits
 * @param tmst        the gateway's 32-bit microsecond counter at reception (downlinks are timed against it)
 * @param datr        the LoRa data rate as the gateway wrote it ({@code SF7BW125}); the device's region gives its DR
 * @param context     what the backend needs to answer through this gateway again (MQTT: the uplink's context), or ""
 * @param receivedAtMs when the backend received it (epoch ms)
 */
public record RxInfo(String gatewayId, int rssi, double snr, long tmst, long frequencyHz, String datr, int channel,
    String context, long receivedAtMs) {

  public JsonObject toJson() {
    return new JsonObject().put("gatewayId", gatewayId).put("rssi", rssi).put("snr", snr).put("tmst", tmst)
        .put("frequency", frequencyHz).put("datr", datr).put("channel", channel).put("context", context)
        .put("receivedAt", receivedAtMs);
  }

  public static RxInfo fromJson(JsonObject j) {
    return new RxInfo(j.getString("gatewayId"), j.getInteger("rssi"), j.getDouble("snr"), j.getLong("tmst"),
        j.getLong("frequency"), j.getString("datr"), j.getInteger("channel"), j.getString("context", ""),
        j.getLong("receivedAt"));
  }

  /** What the frames list and the {@code lorawan.uplink} event show of it. */
  public JsonObject summary() {
    return new JsonObject().put("gatewayId", gatewayId).put("rssi", rssi).put("snr", snr);
  }

  /** The better of two receptions for a downlink: higher SNR, then higher RSSI. */
  public static int better(RxInfo a, RxInfo b) {
    int bySnr = Double.compare(b.snr, a.snr);
    return bySnr != 0 ? bySnr : Integer.compare(b.rssi, a.rssi);
  }
}
