package io.gridline.lrwn.semtechudp;

import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.region.DataRate;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One {@code txpk}: a packet for the gateway to send. Class A answers are timed on the uplink's {@code tmst} (+1 s for
 * RX1, +5 s for a JoinAccept) with {@code ipol} true, as devices listen with inverted polarity.
 *
 * @param imme send now, ignoring tmst and tmms
 * @param powe TX power in dBm
 * @param fdev FSK frequency deviation in Hz
 * @param prea preamble length, when not the default
 * @param ncrc true disables the physical CRC (LoRaWAN downlinks carry none, yet forwarders decide on their own when
 *     absent)
 */
public record TxPacket(boolean imme, OptionalLong tmst, OptionalLong tmms, long frequencyHz, int rfch, int powe,
    DataRate dataRate, Optional<String> codr, OptionalInt fdev, boolean ipol, OptionalInt prea, Bytes data,
    boolean ncrc) {

  /** A class A downlink at {@code tmst}: coding rate 4/5, inverted polarity, RF chain 0. */
  public static TxPacket classA(long tmst, long frequencyHz, int powe, DataRate dataRate, Bytes phyPayload) {
    return new TxPacket(false, OptionalLong.of(tmst), OptionalLong.empty(), frequencyHz, 0, powe, dataRate,
        dataRate.modulation() == DataRate.Modulation.LORA ? Optional.of("4/5") : Optional.empty(), OptionalInt.empty(),
        true, OptionalInt.empty(), phyPayload, false);
  }

  public static TxPacket fromJson(JsonObject json) throws SemtechPacketException {
    JsonFields f = new JsonFields(json, "txpk");
    return new TxPacket(f.boolOr("imme", false), f.optionalInteger("tmst", 0, 0xFFFF_FFFFL),
        f.optionalInteger("tmms", 0, Long.MAX_VALUE), f.frequencyHz("freq"), f.intOr("rfch", 0, 255, 0),
        f.intOr("powe", -50, 50, 14), f.dataRate(), f.optionalString("codr"), f.optionalInt("fdev", 0, 1_000_000),
        f.boolOr("ipol", false), f.optionalInt("prea", 0, 65_535), Bytes.of(f.data()), f.boolOr("ncrc", false));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (imme) {
      json.put("imme", true);
    }
    tmst.ifPresent(t -> json.put("tmst", t));
    tmms.ifPresent(t -> json.put("tmms", t));
    json.put("freq", JsonFields.megahertz(frequencyHz)).put("rfch", rfch).put("powe", powe);
    JsonFields.putDataRate(json, dataRate);
    codr.ifPresent(c -> json.put("codr", c));
    fdev.ifPresent(d -> json.put("fdev", d));
    json.put("ipol", ipol);
    prea.ifPresent(p -> json.put("prea", p));
    json.put("size", data.length()).put("data", Base64.getEncoder().encodeToString(data.toArray()));
    if (ncrc) {
      json.put("ncrc", true);
    }
    return json;
  }
}
