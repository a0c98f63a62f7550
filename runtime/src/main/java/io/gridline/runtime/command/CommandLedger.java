package io.gridline.runtime.command;

import io.gridline.contracts.commands.CommandStatus;
import io.gridline.runtime.UntrustedText;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of {@code commands}: every device kind's commands in one lifecycle ({@link CommandStatus}). The api queues
 * and reads them; the protocol verticle that owns a device takes its open ones in send order and moves their status.
 * A transition is a compare-and-set on the status, so two nodes (or a retry and a late acknowledgement) cannot both
 * move the same command. Reads for callers are scoped by tenant.
 */
public final class CommandLedger {
  /** Longest error text kept (it may quote what a device answered). */
  static final int MAX_ERROR_CHARS = 1_000;
  private final Pool pool;

  public CommandLedger(Pool pool) {
    this.pool = pool;
  }

  /** A new command waiting for the device's owner to send it. */
  public Future<Command> enqueue(UUID id, UUID tenantId, long deviceId, String deviceKind, String type,
      JsonObject payload, int priority) {
    return insert(id, tenantId, deviceId, deviceKind, type, payload, priority, CommandStatus.QUEUED, null);
  }

  /** A command its owner sent while the caller waited (an MQTT publish): recorded as sent, once. */
  public Future<Command> recordSent(UUID id, UUID tenantId, long deviceId, String deviceKind, String type,
      JsonObject payload, JsonObject result) {
    return insert(id, tenantId, deviceId, deviceKind, type, payload, 0, CommandStatus.SENT, result);
  }

  private Future<Command> insert(UUID id, UUID tenantId, long deviceId, String deviceKind, String type,
      JsonObject payload, int priority, CommandStatus status, JsonObject result) {
    boolean sent = status == CommandStatus.SENT;
    return pool.preparedQuery("INSERT INTO commands (id, tenant_id, device_id, device_kind, type, payload, priority, "
            + "status, attempts, result, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
            + "CASE WHEN $11 THEN now() END) RETURNING " + Command.COLUMNS)
        .execute(Tuple.tuple(List.of(id, tenantId, deviceId, deviceKind, type, payload, priority, status.wire(),
            sent ? 1 : 0)).addValue(result).addBoolean(sent))
        .map(rows -> Command.from(rows.iterator().next()));
  }

  /** The device's open commands (queued, or sent and awaiting an acknowledgement), in send order. */
  public Future<List<Command>> open(long deviceId, int limit) {
    return pool.preparedQuery("SELECT " + Command.COLUMNS + " FROM commands WHERE device_id = $1 "
            + "AND status IN ('queued', 'sent') ORDER BY priority DESC, created_at, id LIMIT $2")
        .execute(Tuple.of(deviceId, limit))
        .map(CommandLedger::all);
  }

  /**
   * Moves the command to {@code to} if it is in one of {@code from}: {@code sent} counts an attempt and stamps
   * {@code sent_at}, a final status stamps {@code finished_at}.
   *
   * @return the command as it now is; empty when it was not in one of {@code from} (someone else moved it)
   */
  public Future<Optional<Command>> transition(UUID id, Set<CommandStatus> from, CommandStatus to, JsonObject result,
      String error) {
    String[] fromWire = from.stream().map(CommandStatus::wire).toArray(String[]::new);
    return pool.preparedQuery("UPDATE commands SET status = $3, updated_at = now(), "
            + "attempts = attempts + CASE WHEN $3 = 'sent' THEN 1 ELSE 0 END, "
            + "sent_at = CASE WHEN $3 = 'sent' THEN now() ELSE sent_at END, "
            + "finished_at = CASE WHEN $3 IN ('queued', 'sent') THEN NULL ELSE now() END, "
            + "result = coalesce($4, result), error = coalesce($5, error) "
            + "WHERE id = $1 AND status = ANY($2) RETURNING " + Command.COLUMNS)
        .execute(Tuple.of(id, fromWire, to.wire(), result, UntrustedText.storable(error, MAX_ERROR_CHARS)))
        .map(rows -> first(rows));
  }

  /** The tenant's command, or empty (another tenant's is not found either). */
  public Future<Optional<Command>> find(UUID tenantId, UUID id) {
    return pool.preparedQuery("SELECT " + Command.COLUMNS + " FROM commands WHERE id = $1 AND tenant_id = $2")
        .execute(Tuple.of(id, tenantId))
        .map(CommandLedger::first);
  }

  /** One page of a device's commands, newest first, optionally of one status; and how many there are in all. */
  public Future<Slice> list(UUID tenantId, long deviceId, CommandStatus status, int limit, long offset) {
    String where = " FROM commands WHERE tenant_id = $1 AND device_id = $2 AND ($3::text IS NULL OR status = $3)";
    String wire = status == null ? null : status.wire();
    Future<List<Command>> items = pool.preparedQuery("SELECT " + Command.COLUMNS + where
            + " ORDER BY created_at DESC, id LIMIT $4 OFFSET $5")
        .execute(Tuple.of(tenantId, deviceId, wire, limit, offset))
        .map(CommandLedger::all);
    Future<Long> total = pool.preparedQuery("SELECT count(*)" + where).execute(Tuple.of(tenantId, deviceId, wire))
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new Slice(items.result(), total.result()));
  }

  /**
   * Drops the device's queued commands of {@code type} (flushing a downlink queue); commands already sent are left to
   * finish.
   *
   * @return the ids dropped
   */
  public Future<List<UUID>> dropQueued(UUID tenantId, long deviceId, String type) {
    return pool.preparedQuery("DELETE FROM commands WHERE tenant_id = $1 AND device_id = $2 AND type = $3 "
            + "AND status = 'queued' RETURNING id")
        .execute(Tuple.of(tenantId, deviceId, type))
        .map(rows -> {
          List<UUID> ids = new ArrayList<>(rows.size());
          rows.forEach(r -> ids.add(r.getUUID("id")));
          return ids;
        });
  }

  /** A page of commands and the number in the whole list. */
  public record Slice(List<Command> items, long total) {}

  private static List<Command> all(RowSet<Row> rows) {
    List<Command> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(Command.from(r)));
    return out;
  }

  private static Optional<Command> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Command.from(rows.iterator().next()));
  }
}
