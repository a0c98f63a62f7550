package io.gridline.api.tenants;

import io.vertx.core.json.JsonObject;

/** A key just created: the only moment its token exists outside the caller's hands. */
record IssuedKey(ApiKey key, String token) {
  JsonObject toJson() {
    return key.toJson().put("key", token);
  }
}
