package io.gridline.api.http;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * Who sent a request, as established by {@link Authenticator}: the admin, or a tenant API key with its role. Every
 * tenant-scoped query takes {@link #tenantId()} from here, never from the request.
 */
public record Caller(Role role, UUID tenantId, UUID keyId) {
  public enum Role { ADMIN, WRITE, READ }

  static final Caller ADMIN = new Caller(Role.ADMIN, null, null);
  private static final String KEY = "gridline.caller";

  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw new IllegalStateException("route registered without an access check");
    }
    return caller;
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
