package io.gridline.runtime.device;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A device of the registry ({@code devices}) as {@link DeviceDirectory} answers it: registry data only, never
 * credentials (a cache must not keep an old secret or a revoked certificate usable).
 *
 * @param id         registry id (the Kafka key of every topic after {@code gridline.telemetry.raw})
 * @param tenantId   owning tenant (UUID text)
 * @param kind       {@code mqtt|lorawan|charger|instrument} ({@link ExternalIds#KINDS})
 * @param externalId canonical external id ({@link ExternalIds#canonical})
 * @param name       the operator's name for it
 * @param metadata   the operator's {@code metadata} object; shared by every caller of the directory, so read it, never
 *                   change it. What a field means (e.g. the processor's {@code model}) is the reader's rule.
 */
public record RegisteredDevice(long id, String tenantId, String kind, String externalId, String name,
    JsonObject metadata) {

  public RegisteredDevice {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(externalId, "externalId");
    name = name == null ? "" : name;
    metadata = metadata == null ? new JsonObject() : metadata;
  }

  /** The value of its Redis entry ({@code RegistryCacheKeys.device}). */
  JsonObject toJson() {
    return new JsonObject().put("deviceId", id).put("tenantId", tenantId).put("kind", kind)
        .put("externalId", externalId).put("name", name).put("metadata", metadata);
  }

  /**
   * The device a Redis entry holds, or null when the entry is not one this class wrote (an entry of another version,
   * such as the processor's {@code {deviceId, tenantId, model}} of before): the caller reads the database instead.
   */
  static RegisteredDevice fromJson(String kind, String externalId, JsonObject json) {
    if (!(json.getValue("deviceId") instanceof Number id) || !(json.getValue("tenantId") instanceof String tenant)
        || !(json.getValue("metadata") instanceof JsonObject metadata)
        || !(json.getValue("name", "") instanceof String name)) {
      return null;
    }
    return new RegisteredDevice(id.longValue(), tenant, kind, externalId, name, metadata);
  }
}
