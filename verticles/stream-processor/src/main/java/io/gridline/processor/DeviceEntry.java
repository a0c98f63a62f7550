package io.gridline.processor;

import io.vertx.core.json.JsonObject;

/** What the processor needs of a registry device: its id, tenant and controller model ({@code metadata.model}). */
record DeviceEntry(long deviceId, String tenantId, String model) {
  static final String DEFAULT_MODEL = "faces2";

  JsonObject toJson() {
    return new JsonObject().put("deviceId", deviceId).put("tenantId", tenantId).put("model", model);
  }

  static DeviceEntry fromJson(JsonObject j) {
    return new DeviceEntry(j.getLong("deviceId"), j.getString("tenantId"), j.getString("model", DEFAULT_MODEL));
  }
}
