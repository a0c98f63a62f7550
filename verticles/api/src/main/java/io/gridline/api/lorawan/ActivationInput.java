package io.gridline.api.lorawan;

import io.gridline.api.http.Validation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/lorawan/devices/{devEui}/activate}: {@code devAddr} (8 hex), {@code nwkSKey},
 * {@code appSKey} (32 hex each), {@code fCntUp} (the next uplink counter expected, default 0), {@code fCntDown} (the
 * next downlink counter, default 0).
 */
record ActivationInput(String devAddr, String nwkSKey, String appSKey, long fCntUp, long fCntDown) {
  private static final Set<String> FIELDS = Set.of("devAddr", "nwkSKey", "appSKey", "fCntUp", "fCntDown");

  static Future<ActivationInput> of(JsonObject body) {
    Validation v = Validation.of(body, FIELDS, Set.of());
    String devAddr = v.hex("devAddr", true, 4);
    String nwk = v.hex("nwkSKey", true, 16);
    String app = v.hex("appSKey", true, 16);
    Long up = v.longValue("fCntUp", 0, 0xFFFF_FFFFL, 0);
    Long down = v.longValue("fCntDown", 0, 0xFFFF_FFFFL, 0);
    return v.result(() -> new ActivationInput(devAddr, nwk, app, up, down));
  }
}
