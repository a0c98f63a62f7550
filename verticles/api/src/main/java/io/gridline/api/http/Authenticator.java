package io.gridline.api.http;

import io.gridline.api.tenants.ApiKey;
import io.gridline.api.tenants.ApiKeyRepository;
import io.gridline.runtime.Tokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bearer authentication and route access. Tenant keys are looked up by hash on every request: no positive cache, so a
 * revocation is effective on every node at once.
 */
public final class Authenticator {
  private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+(\\S{1,512})\\s*");
  private final ApiKeyRepository keys;
  private final byte[] adminKeyHash;
  private final MeterRegistry meters;

  public Authenticator(ApiKeyRepository keys, String adminKey, MeterRegistry meters) {
    this.keys = keys;
    this.adminKeyHash = Tokens.hash(adminKey);
    this.meters = meters;
  }

  /** The caller behind the {@code Authorization} header when it has {@code access}, else a 401 or 403. */
  Future<Caller> authenticate(String authorization, Access access) {
    return identify(authorization).compose(caller -> authorize(caller, access));
  }

  Future<Caller> identify(String authorization) {
    if (authorization == null) {
      return reject("missing", "send Authorization: Bearer <API key>", false);
    }
    Matcher m = BEARER.matcher(authorization);
    if (!m.matches()) {
      return reject("malformed", "the Authorization header must be Bearer <API key>", false);
    }
    String token = m.group(1);
    byte[] hash = Tokens.hash(token);
    // Hashes of equal length compare in constant time, so the admin key's length and prefix leak nothing.
    if (MessageDigest.isEqual(hash, adminKeyHash)) {
      return Future.succeededFuture(Caller.ADMIN);
    }
    if (!token.startsWith(Tokens.API_KEY_PREFIX)) {
      return reject("unknown", "unknown API key", true);
    }
    return keys.findByHash(hash).compose(found -> {
      if (found.isEmpty()) {
        return reject("unknown", "unknown API key", true);
      }
      ApiKey key = found.get();
      if (key.revokedAt() != null) {
        return reject("revoked", "this API key was revoked", true);
      }
      keys.recordUse(key);
      return Future.succeededFuture(new Caller(key.role(), key.tenantId(), key.id()));
    });
  }

  private Future<Caller> authorize(Caller caller, Access access) {
    return switch (access) {
      case ANYONE -> Future.succeededFuture(caller);
      case ADMIN -> caller.isAdmin() ? Future.succeededFuture(caller)
          : forbid("admin-required", "this route needs the admin key; tenant API keys cannot manage tenants");
      case TENANT_READ -> caller.isAdmin()
          ? forbid("tenant-key-required", "this route needs a tenant API key; the admin key has no tenant")
          : Future.succeededFuture(caller);
      case TENANT_WRITE -> caller.isAdmin()
          ? forbid("tenant-key-required", "this route needs a tenant API key; the admin key has no tenant")
          : caller.role() == Caller.Role.WRITE ? Future.succeededFuture(caller)
          : forbid("read-only", "this API key has role read; changes need a write key");
    };
  }

  private <T> Future<T> reject(String reason, String detail, boolean tokenPresented) {
    countFailure(reason);
    return Future.failedFuture(Problem.unauthorized(detail, tokenPresented));
  }

  private <T> Future<T> forbid(String reason, String detail) {
    countFailure(reason);
    return Future.failedFuture(Problem.forbidden(detail));
  }

  private void countFailure(String reason) {
    Counter.builder("gridline.api.auth.failures").description("requests refused with 401 or 403, by reason")
        .tag("reason", reason).register(meters).increment();
  }
}
