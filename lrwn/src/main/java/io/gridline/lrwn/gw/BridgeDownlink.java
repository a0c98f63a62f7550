package io.gridline.lrwn.gw;

import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.region.DataRate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * A ChirpStack v4 {@code gw.DownlinkFrame} with one item, in the gateway bridge's JSON marshaling, for
 * {@code <region>/gateway/<gatewayId>/command/down}: a class A downlink timed as a delay after the uplink whose
 * {@code context} it echoes.
 *
 * @param downlinkId   what the gateway's {@link BridgeTxAck} names (uint32)
 * @param delayMicros  microseconds after the uplink's reception (RX1: 1 s, join accept: 5 s, RX2 one more second)
 * @param context      the uplink's {@code rxInfo.context}, unchanged
 */
public record BridgeDownlink(String gatewayId, long downlinkId, Bytes phyPayload, long frequencyHz, int power,
    DataRate dataRate, long delayMicros, Bytes context) {

  public JsonObject toJson() {
    Base64.Encoder b64 = Base64.getEncoder();
    JsonObject lora = new JsonObject().put("bandwidth", dataRate.bandwidthKhz() * 1000)
        .put("spreadingFactor", dataRate.spreadingFactor()).put("codeRate", "CR_4_5")
        .put("polarizationInversion", true);
    JsonObject txInfo = new JsonObject().put("frequency", frequencyHz).put("power", power)
        .put("modulation", new JsonObject().put("lora", lora)).put("board", 0).put("antenna", 0)
        .put("timing", new JsonObject().put("delay", new JsonObject().put("delay", duration(delayMicros))))
        .put("context", b64.encodeToString(context.toArray()));
    JsonObject item = new JsonObject().put("phyPayload", b64.encodeToString(phyPayload.toArray()))
        .put("txInfo", txInfo);
    return new JsonObject().put("downlinkId", downlinkId).put("gatewayId", gatewayId)
        .put("items", new JsonArray().add(item));
  }

  /** A {@code google.protobuf.Duration} in JSON: seconds, with the fraction only when there is one. */
  static String duration(long micros) {
    long seconds = micros / 1_000_000;
    long fraction = micros % 1_000_000;
    return fraction == 0 ? seconds + "s" : String.format("%d.%06ds", seconds, fraction);
  }
}
