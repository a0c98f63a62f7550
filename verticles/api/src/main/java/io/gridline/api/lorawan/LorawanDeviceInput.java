package io.gridline.api.lorawan;

import io.gridline.api.http.Validation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/lorawan/devices}: {@code devEui}, {@code joinEui}, {@code appKey} (OTAA; absent for
 * a device activated by personalisation or whose keys an external network server holds), {@code class} ("A"),
 * {@code region}, {@code name}, optional {@code model} (its sensor model: {@code metadata.model}), {@code metadata},
 * {@code macVersion} (1.0.3 | 1.0.4) and {@code payloadCodec} (sensor-fields | cayenne-lpp | none).
 */
record LorawanDeviceInput(String devEui, String joinEui, String appKey, String region, String name, String model,
    JsonObject metadata, String macVersion, String payloadCodec) {
  private static final Set<String> FIELDS = Set.of("devEui", "joinEui", "appKey", "class", "region", "name", "model",
      "metadata", "macVersion", "payloadCodec");
  private static final Set<String> READ_ONLY = Set.of("id", "otaa", "status", "activation", "devAddr", "fCntUp",
      "nFCntDown", "joinedAt", "lastSeenAt", "lastRssi", "lastSnr", "batteryLevel", "margin", "chirpstackSynced",
      "createdAt", "updatedAt");

  static Future<LorawanDeviceInput> of(JsonObject body) {
    Validation v = Validation.of(body, FIELDS, READ_ONLY);
    String devEui = v.hex("devEui", true, 8);
    String joinEui = v.hex("joinEui", false, 8);
    String appKey = v.hex("appKey", false, 16);
    v.oneOf("class", List.of("A"), "A");
    String region = v.oneOf("region", GatewayRoutes.REGIONS);
    String name = v.text("name", true, 200);
    String model = v.present("model") ? v.text("model", false, 64) : null;
    JsonObject metadata = v.object("metadata");
    String macVersion = v.oneOf("macVersion", List.of("1.0.3", "1.0.4"), "1.0.3");
    String codec = v.oneOf("payloadCodec", List.of("sensor-fields", "cayenne-lpp", "none"), "sensor-fields");
    if (appKey != null && joinEui == null) {
      v.reject("joinEui", "is required with an appKey (OTAA)");
    }
    return v.result(() -> new LorawanDeviceInput(devEui, joinEui, appKey, region, name, model, metadata, macVersion,
        codec));
  }
}
