package io.gridline.runtime.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.commands.CommandStatus;
import io.gridline.testkit.TestStores;
import io.gridline.runtime.PgUrl;
import io.gridline.sql.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared command lifecycle against a real, migrated PostgreSQL. */
class CommandLedgerTest {
  private static Vertx vertx;
  private static Pool pool;
  private static CommandLedger ledger;
  private static UUID tenant;
  private long device;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    PgUrl url = PgUrl.parse(TestStores.pgUrl());
    Migrations.migrate(url.jdbcUrl(), url.user(), url.password());
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(url.connectOptions()).using(vertx).build();
    ledger = new CommandLedger(pool);
    tenant = UUID.randomUUID();
    await(pool.preparedQuery("INSERT INTO tenants (id, name, max_devices) VALUES ($1, 't', 10)").execute(Tuple.of(tenant)));
  }

  /** Each test its own device: open commands are per device. */
  @org.junit.jupiter.api.BeforeEach
  void device() {
    String eui = String.format("%016x", java.util.concurrent.ThreadLocalRandom.current().nextLong());
    device = await(pool.preparedQuery("INSERT INTO devices (tenant_id, kind, external_id) VALUES ($1, 'lorawan', $2) "
        + "RETURNING id").execute(Tuple.of(tenant, eui))).iterator().next().getLong(0);
  }

  @AfterAll
  static void stop() {
    await(pool.close());
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private Command queue(int priority, String data) {
    return await(ledger.enqueue(UUID.randomUUID(), tenant, device, "lorawan", "lorawan.downlink",
        new JsonObject().put("fPort", 1).put("data", data), priority));
  }

  @Test
  void openCommandsComeInSendOrderAndMoveThroughTheLifecycle() {
    Command low = queue(0, "01");
    Command high = queue(5, "02");
    Command later = queue(0, "03");
    List<Command> open = await(ledger.open(device, 10));
    assertEquals(List.of(high.id(), low.id(), later.id()), open.stream().map(Command::id).toList());
    assertEquals(CommandStatus.QUEUED, high.status());
    assertEquals(0, high.attempts());
    assertNull(high.sentAt());

    Command sent = await(ledger.transition(high.id(), Set.of(CommandStatus.QUEUED), CommandStatus.SENT,
        new JsonObject().put("fCnt", 7), null)).orElseThrow();
    assertEquals(CommandStatus.SENT, sent.status());
    assertEquals(1, sent.attempts());
    assertNotNull(sent.sentAt());
    assertNull(sent.finishedAt());
    // a retry sends it again: one more attempt
    assertEquals(2, await(ledger.transition(high.id(), Set.of(CommandStatus.SENT), CommandStatus.SENT, null, null))
        .orElseThrow().attempts());
    Command acked = await(ledger.transition(high.id(), Set.of(CommandStatus.SENT), CommandStatus.ACKED, null, null))
        .orElseThrow();
    assertEquals(CommandStatus.ACKED, acked.status());
    assertNotNull(acked.finishedAt());
    assertEquals(7, acked.result().getInteger("fCnt"), "an earlier result is kept");
    // a late second acknowledgement moves nothing
    assertEquals(Optional.empty(), await(ledger.transition(high.id(), Set.of(CommandStatus.SENT),
        CommandStatus.ACKED, null, null)));

    Command dead = await(ledger.transition(low.id(), Set.of(CommandStatus.QUEUED, CommandStatus.SENT),
        CommandStatus.DEAD, null, "no ACK after 3 attempts\u0000")).orElseThrow();
    assertEquals("no ACK after 3 attempts", dead.error(), "stored without the NUL");
    assertEquals(List.of(later.id()), await(ledger.open(device, 10)).stream().map(Command::id).toList());
  }

  @Test
  void twoTransitionsRacingForOneCommandMoveItOnce() {
    Command c = queue(0, "04");
    Future<Optional<Command>> a = ledger.transition(c.id(), Set.of(CommandStatus.QUEUED), CommandStatus.SENT, null, null);
    Future<Optional<Command>> b = ledger.transition(c.id(), Set.of(CommandStatus.QUEUED), CommandStatus.FAILED, null,
        "x");
    int moved = (await(a).isPresent() ? 1 : 0) + (await(b).isPresent() ? 1 : 0);
    assertEquals(1, moved);
  }

  @Test
  void readsAreScopedByTenantAndListsFilterByStatus() {
    Command c = queue(0, "05");
    assertTrue(await(ledger.find(tenant, c.id())).isPresent());
    assertTrue(await(ledger.find(UUID.randomUUID(), c.id())).isEmpty());
    CommandLedger.Slice queued = await(ledger.list(tenant, device, CommandStatus.QUEUED, 100, 0));
    assertTrue(queued.items().stream().allMatch(x -> x.status() == CommandStatus.QUEUED));
    assertTrue(queued.total() >= 1);
    assertEquals(0, await(ledger.list(UUID.randomUUID(), device, null, 100, 0)).total());

    Command mqtt = await(ledger.recordSent(UUID.randomUUID(), tenant, device, "lorawan", "mqtt.publish",
        new JsonObject(), new JsonObject().put("outcome", "delivered")));
    assertEquals(CommandStatus.SENT, mqtt.status());
    assertEquals(1, mqtt.attempts());
    assertNotNull(mqtt.sentAt());

    List<UUID> dropped = await(ledger.dropQueued(tenant, device, "lorawan.downlink"));
    assertTrue(dropped.contains(c.id()));
    assertTrue(await(ledger.find(tenant, c.id())).isEmpty());
    assertTrue(await(ledger.find(tenant, mqtt.id())).isPresent(), "sent commands are not dropped");
  }
}
