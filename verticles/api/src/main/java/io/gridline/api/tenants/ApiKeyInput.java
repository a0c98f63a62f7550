package io.gridline.api.tenants;

import io.gridline.api.http.Caller;
import io.gridline.api.http.Validation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The body of {@code POST /tenants/{id}/api-keys}: a role and an optional name to recognise the key by. */
record ApiKeyInput(Caller.Role role, String name) {
  private static final Set<String> FIELDS = Set.of("role", "name");

  static Future<ApiKeyInput> parse(JsonObject body) {
    Validation v = Validation.of(body, FIELDS, Set.of());
    String role = v.oneOf("role", List.of("write", "read"));
    String name = v.text("name", false, 200);
    return v.result(() -> new ApiKeyInput(Caller.Role.valueOf(role.toUpperCase(Locale.ROOT)), name));
  }
}
