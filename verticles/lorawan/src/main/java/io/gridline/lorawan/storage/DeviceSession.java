package io.gridline.lorawan.storage;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.SessionKeys;
import io.gridline.lrwn.region.RegionParams;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * A device's network session: its address, keys and counters, and what else the network server keeps between
 * uplinks ({@code state}: {@code lastDr}, {@code rx1DrOffset}, {@code rx2Dr}, {@code rx2Frequency}, {@code rxDelay},
 * {@code lastUplinkAt}, {@code pendingAck} — a confirmed uplink not yet acknowledged — and {@code awaiting} — the
 * confirmed downlink waiting for the device's ACK: {@code {commandId, fCntDown, sends}}). Keys travel sealed
 * ({@code sealedNwkSKey}, {@code sealedAppSKey}: SecretBox with the DevEUI as associated data) in Redis and PostgreSQL.
 *
 * @param fCntUp   the next uplink FCnt expected (32 bits)
 * @param nFCntDown the next downlink FCnt
 */
public record DeviceSession(long deviceId, String tenantId, String devEui, String region, String macVersion,
    String payloadCodec, DevAddr devAddr, String activation, SessionKeys keys, byte[] sealedNwkSKey,
    byte[] sealedAppSKey, long fCntUp, long nFCntDown, JsonObject state) {

  public RegionParams regionParams() {
    return RegionParams.byName(region).orElseThrow(() -> new IllegalStateException("unknown region " + region));
  }

  public DeviceSession withCounters(long nextFCntUp, long nextFCntDown, JsonObject newState) {
    return new DeviceSession(deviceId, tenantId, devEui, region, macVersion, payloadCodec, devAddr, activation, keys,
        sealedNwkSKey, sealedAppSKey, nextFCntUp, nextFCntDown, newState);
  }

  /** The Redis form (keys sealed). */
  JsonObject toJson() {
    Base64.Encoder b64 = Base64.getEncoder();
    return new JsonObject().put("deviceId", deviceId).put("tenantId", tenantId).put("devEui", devEui)
        .put("region", region).put("macVersion", macVersion).put("payloadCodec", payloadCodec)
        .put("devAddr", devAddr.hex()).put("activation", activation)
        .put("nwkSKey", b64.encodeToString(sealedNwkSKey)).put("appSKey", b64.encodeToString(sealedAppSKey))
        .put("fCntUp", fCntUp).put("nFCntDown", nFCntDown).put("state", state);
  }

  static DeviceSession fromJson(JsonObject j, SessionKeys keys) {
    Base64.Decoder b64 = Base64.getDecoder();
    return new DeviceSession(j.getLong("deviceId"), j.getString("tenantId"), j.getString("devEui"),
        j.getString("region"), j.getString("macVersion"), j.getString("payloadCodec"),
        DevAddr.fromHex(j.getString("devAddr")), j.getString("activation"), keys,
        b64.decode(j.getString("nwkSKey")), b64.decode(j.getString("appSKey")), j.getLong("fCntUp"),
        j.getLong("nFCntDown"), j.getJsonObject("state", new JsonObject()));
  }

  /** The RX settings a session starts with in {@code region}. */
  public static JsonObject initialState(RegionParams region, int rxDelay) {
    return new JsonObject().put("rx1DrOffset", 0).put("rx2Dr", region.rx2DataRate())
        .put("rx2Frequency", region.rx2Frequency()).put("rxDelay", rxDelay);
  }

  @Override
  public String toString() {
    return "DeviceSession[" + devEui + " " + devAddr.hex() + " fCntUp=" + fCntUp + " nFCntDown=" + nFCntDown + "]";
  }

  static AesKey key(byte[] octets) {
    return AesKey.of(octets);
  }
}
