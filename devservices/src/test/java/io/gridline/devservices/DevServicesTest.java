package io.gridline.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevServicesTest {

  @TempDir
  Path dir;

  @Test
  void startsAllThreeOnFreePortsAndStopsThem() throws Exception {
    long t0 = System.nanoTime();
    DevServices ds = DevServices.start(Set.of("kafka", "postgres", "redis"), dir, false, 9092, 5433, 6380);
    System.out.printf("DevServices (all three, parallel) started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    Map<String, String> urls = ds.urls();
    try {
      assertEquals(Set.of("kafka", "postgres", "redis"), urls.keySet());
      assertTrue(urls.get("kafka").matches("127\\.0\\.0\\.1:\\d+"), urls.get("kafka"));
      assertTrue(urls.get("postgres").matches("postgresql://postgres@127\\.0\\.0\\.1:\\d+/gridline"), urls.get("postgres"));
      assertTrue(urls.get("redis").matches("redis://127\\.0\\.0\\.1:\\d+"), urls.get("redis"));
      for (String s : DevServices.STORES) {
        assertTrue(Files.isDirectory(dir.resolve(s)), s);
      }
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, urls.get("kafka")))) {
        assertEquals(1, admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size());
      }
      try (Connection c = DriverManager.getConnection(ds.postgres().jdbcUrl()); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT 1")) {
        assertTrue(rs.next());
      }
      try (Resp redis = new Resp(ds.redis().port())) {
        assertTrue("PONG".equals(redis.call("PING")));
      }
    } finally {
      t0 = System.nanoTime();
      ds.close();
      System.out.printf("DevServices stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
    ds.close(); // idempotent
    assertFalse(FreePorts.listening(ds.kafka().port(), 200));
    assertFalse(FreePorts.listening(ds.postgres().port(), 200));
    assertFalse(FreePorts.listening(ds.redis().port(), 200));
  }

  @Test
  void onlyTheNeededStores() {
    try (DevServices ds = DevServices.start(Set.of("redis"), dir, false, 0, 0, 0)) {
      assertEquals(Set.of("redis"), ds.urls().keySet());
      assertTrue(ds.kafka() == null && ds.postgres() == null);
      assertFalse(Files.exists(dir.resolve("kafka")));
    }
  }

  @Test
  void fixedPortsAreUsedAndATakenOneFailsWithoutLeftovers() throws Exception {
    int redisPort = FreePorts.find();
    try (DevServices ds = DevServices.start(Set.of("redis"), dir, true, 0, 0, redisPort)) {
      assertEquals("redis://127.0.0.1:" + redisPort, ds.urls().get("redis"));
    }
    int pgPort = FreePorts.find();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> DevServices.start(Set.of("postgres", "redis"), dir, true, 0, pgPort, taken.getLocalPort()));
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
    }
    // the store that did start was stopped again
    assertFalse(FreePorts.listening(pgPort, 200));
  }

  @Test
  void unknownStoreIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> DevServices.start(Set.of("mongo"), dir, false, 0, 0, 0));
  }
}
