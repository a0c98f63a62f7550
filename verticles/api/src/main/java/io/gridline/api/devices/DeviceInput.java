package io.gridline.api.devices;

import io.gridline.api.http.Validation;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The body of {@code POST /devices} and {@code PUT /devices/{id}}. On create every field but metadata is required;
 * on update kind and externalId may be repeated (a client sends back what it read) but not changed.
 */
public record DeviceInput(String kind, String externalId, String name, JsonObject metadata) {
  private static final Set<String> FIELDS = Set.of("kind", "externalId", "name", "metadata");
  private static final Set<String> READ_ONLY = Set.of("id", "tenantId", "status", "lastSeenAt", "createdAt", "updatedAt");

  static Future<DeviceInput> forCreate(JsonObject body) {
    Validation v = Validation.of(body, FIELDS, READ_ONLY);
    String kind = v.oneOf("kind", ExternalIds.KINDS);
    String externalId = externalId(v, kind, true);
    String name = v.text("name", true, 200);
    JsonObject metadata = v.object("metadata");
    return v.result(() -> new DeviceInput(kind, externalId, name, metadata));
  }

  /** Validated against the stored device, since whether kind and externalId changed depends on it. */
  static Future<DeviceInput> forUpdate(JsonObject body, Device current) {
    Validation v = Validation.of(body, FIELDS, READ_ONLY);
    if (v.present("kind") && !current.kind().equals(body.getValue("kind"))) {
      v.reject("kind", "cannot be changed; delete the device and create it again");
    }
    String externalId = externalId(v, current.kind(), false);
    if (externalId != null && !externalId.equals(current.externalId())) {
      v.reject("externalId", "cannot be changed; delete the device and create it again");
    }
    String name = v.text("name", true, 200);
    JsonObject metadata = v.object("metadata");
    return v.result(() -> new DeviceInput(current.kind(), current.externalId(), name, metadata));
  }

  private static String externalId(Validation v, String kind, boolean required) {
    String raw = v.text("externalId", required, 128);
    if (raw == null || kind == null) {
      return null;
    }
    try {
      return ExternalIds.canonical(kind, raw);
    } catch (IllegalArgumentException e) {
      v.reject("externalId", e.getMessage());
      return null;
    }
  }
}
