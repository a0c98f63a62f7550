package io.gridline.webhooks;

import static io.gridline.testkit.Waits.await;
import static io.gridline.testkit.Waits.sleep;
import static io.gridline.testkit.Waits.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.devservices.EmbeddedPg;
import io.gridline.runtime.Readiness;
import io.gridline.testkit.TestStores;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A database outage is not a poison event: the feed waits for PostgreSQL (with readiness saying why) and parks nothing,
 * however long it takes — unlike an error the database answers with. A private PostgreSQL, stopped and started again.
 */
class EventFeedOutageTest {

  @Test
  void anUnreachableDatabaseIsWaitedForWithoutParkingOrCommittingAnything() {
    EmbeddedPg pg = TestStores.ownPg();
    try (WebhooksFixture f = new WebhooksFixture(pg.url())) {
      Receiver r = Receiver.ok(f.receivers); // closed with the fixture's receivers' Vert.x
      UUID tenant = f.tenant();
      UUID sub = f.subscribe(tenant, r.url(), "s", "*");
      // three attempts per poll: an outage far longer than those must still park nothing
      f.deploy(f.config().put("webhooks.feed-max-attempts", 3));
      f.send(f.event(tenant, "device.online", 1));
      until("the first delivered", 20_000, () -> r.received() == 1);
      until("its offset committed", 20_000, () -> f.uncommitted() == 0);

      pg.close();
      f.send(f.event(tenant, "device.online", 2));
      f.send(f.event(tenant, "device.online", 3));
      until("readiness says why", 20_000, () -> {
        String ready = await(Readiness.of(f.vertx).checks().checkStatus()).toJson().encode();
        return ready.contains("the database is unreachable") && ready.contains("waiting for it");
      });
      sleep(3_000);
      assertEquals(2, f.uncommitted(), "nothing committed while the rows cannot be stored");
      assertTrue(f.parked().isEmpty(), "nothing parked for an outage");

      pg = TestStores.restart(pg);
      until("both delivered after the restart", 40_000, () -> f.count(
          "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded' AND subscription_id = '" + sub + "'")
          == 3);
      until("committed", 20_000, () -> f.uncommitted() == 0);
      assertTrue(f.parked().isEmpty());
      assertEquals(3, r.received());
    } finally {
      pg.close();
    }
  }
}
