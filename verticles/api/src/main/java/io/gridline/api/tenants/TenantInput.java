package io.gridline.api.tenants;

import io.gridline.api.http.Validation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** The body of {@code POST} and {@code PUT /tenants}: both set every field. */
record TenantInput(String name, int maxDevices) {
  static final int MAX_DEVICES_LIMIT = 1_000_000;
  private static final Set<String> FIELDS = Set.of("name", "maxDevices");
  private static final Set<String> READ_ONLY = Set.of("id", "createdAt", "updatedAt");

  static Future<TenantInput> parse(JsonObject body) {
    Validation v = Validation.of(body, FIELDS, READ_ONLY);
    String name = v.text("name", true, 200);
    Integer maxDevices = v.integer("maxDevices", 0, MAX_DEVICES_LIMIT);
    return v.result(() -> new TenantInput(name, maxDevices));
  }
}
