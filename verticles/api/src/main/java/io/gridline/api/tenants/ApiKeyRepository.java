package io.gridline.api.tenants;

import io.gridline.api.http.Caller;
import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.gridline.api.http.SqlStates;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SQL for {@code api_keys}. Tokens never reach this class's tables: only their SHA-256 does. */
public final class ApiKeyRepository {
  /** How stale {@code last_used_at} may get: one write per key per minute, whatever the request rate. */
  static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(ApiKeyRepository.class);
  private final Pool pool;

  public ApiKeyRepository(Pool pool) {
    this.pool = pool;
  }

  Future<ApiKey> create(UUID tenantId, ApiKeyInput input, byte[] tokenHash) {
    return pool.preparedQuery("INSERT INTO api_keys (id, tenant_id, name, role, token_hash) VALUES ($1, $2, $3, $4, $5) "
            + "RETURNING " + ApiKey.COLUMNS)
        .execute(Tuple.of(UUID.randomUUID(), tenantId, input.name(), ApiKey.roleName(input.role()),
            Buffer.buffer(tokenHash)))
        .map(rows -> ApiKey.from(rows.iterator().next()))
        .recover(err -> SqlStates.is(err, SqlStates.FOREIGN_KEY_VIOLATION)
            ? Future.failedFuture(TenantRepository.notFound(tenantId))
            : Future.failedFuture(err));
  }

  /**
   * Creates the key unless one with that id exists; safe when several nodes run it at once.
   *
   * @return whether this call created it (and so holds the only copy of the token)
   */
  public Future<Boolean> ensure(UUID id, UUID tenantId, String name, Caller.Role role, byte[] tokenHash) {
    return pool.preparedQuery("INSERT INTO api_keys (id, tenant_id, name, role, token_hash) VALUES ($1, $2, $3, $4, $5) "
            + "ON CONFLICT DO NOTHING RETURNING id")
        .execute(Tuple.of(id, tenantId, name, ApiKey.roleName(role), Buffer.buffer(tokenHash)))
        .map(rows -> rows.size() == 1);
  }

  /** Revoked keys are found too, so the caller can say why a key no longer works. */
  public Future<Optional<ApiKey>> findByHash(byte[] tokenHash) {
    return pool.preparedQuery("SELECT " + ApiKey.COLUMNS + " FROM api_keys WHERE token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(ApiKey.from(rows.iterator().next())));
  }

  /**
   * Refreshes {@code last_used_at} when it is older than {@link #LAST_USED_RESOLUTION}. Fire-and-forget: the request
   * never waits for it, and the conditional UPDATE keeps concurrent requests from writing the row more than once.
   */
  public void recordUse(ApiKey key) {
    OffsetDateTime last = key.lastUsedAt();
    if (last != null && last.isAfter(OffsetDateTime.now().minus(LAST_USED_RESOLUTION))) {
      return;
    }
    pool.preparedQuery("UPDATE api_keys SET last_used_at = now() WHERE id = $1 "
            + "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")
        .execute(Tuple.of(key.id()))
        .onFailure(err -> log.warn("could not record use of API key {}: {}", key.id(), err.getMessage()));
  }

  /** Active keys of a tenant, oldest first. */
  Future<Page.Slice<ApiKey>> list(UUID tenantId, Page page) {
    Future<List<ApiKey>> items = pool.preparedQuery("SELECT " + ApiKey.COLUMNS + " FROM api_keys "
            + "WHERE tenant_id = $1 AND revoked_at IS NULL ORDER BY created_at, id LIMIT $2 OFFSET $3")
        .execute(Tuple.of(tenantId, page.size(), page.offset()))
        .map(rows -> {
          List<ApiKey> out = new ArrayList<>(rows.size());
          rows.forEach(row -> out.add(ApiKey.from(row)));
          return out;
        });
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM api_keys WHERE tenant_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(tenantId)).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Page.Slice<>(items.result(), total.result()));
  }

  /** Marks the key revoked (the row stays, with its last use, for the record). */
  Future<Void> revoke(UUID tenantId, UUID keyId) {
    return pool.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 "
            + "AND revoked_at IS NULL")
        .execute(Tuple.of(keyId, tenantId))
        .compose(rows -> rows.rowCount() == 1
            ? Future.succeededFuture()
            : Future.failedFuture(Problem.notFound("no active API key " + keyId + " for tenant " + tenantId)));
  }
}
