package io.gridline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.devservices.EmbeddedPg;
import io.gridline.devservices.EmbeddedRedis;
import io.gridline.devservices.FreePorts;
import io.gridline.devservices.Resp;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class TestStoresTest {

  @Test
  void pgUrlsAreFreshDistinctDatabases() throws Exception {
    long t0 = System.nanoTime();
    String a = TestStores.pgUrl();
    System.out.printf("TestStores.pgUrl() first call %d ms -> %s%n", (System.nanoTime() - t0) / 1_000_000, a);
    t0 = System.nanoTime();
    String b = TestStores.pgUrl();
    System.out.printf("TestStores.pgUrl() second call %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertNotEquals(a, b);
    assertTrue(a.matches("postgresql://postgres@127\\.0\\.0\\.1:\\d+/gridline_t_[0-9a-f]{12}"), a);
    try (Connection c = DriverManager.getConnection(TestStores.pgJdbcUrl(a)); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE only_in_a (id int)");
      try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
        assertTrue(rs.next());
        assertEquals(a.substring(a.lastIndexOf('/') + 1), rs.getString(1));
      }
    }
    try (Connection c = DriverManager.getConnection(TestStores.pgJdbcUrl(b)); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getInt(1), "databases are isolated");
    }
  }

  @Test
  void pgJdbcUrlConversion() {
    assertEquals("jdbc:postgresql://127.0.0.1:5433/gridline?user=postgres",
        TestStores.pgJdbcUrl("postgresql://postgres@127.0.0.1:5433/gridline"));
    assertEquals("jdbc:postgresql://db.internal:5432/gl?user=gridline&password=p%40ss%3Aw&sslmode=require",
        TestStores.pgJdbcUrl("postgres://gridline:p%40ss%3Aw@db.internal/gl?sslmode=require"));
    assertEquals("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres",
        TestStores.pgJdbcUrl("postgresql://127.0.0.1"));
    assertThrows(IllegalArgumentException.class, () -> TestStores.pgJdbcUrl("redis://127.0.0.1:6379"));
  }

  @Test
  void redisUrlAnswers() throws Exception {
    String url = TestStores.redisUrl();
    assertEquals(url, TestStores.redisUrl());
    int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    assertTrue(TestStores.redisAnswers(port));
  }

  @Test
  void kafkaBootstrapIsOneBrokerPerJvm() throws Exception {
    long t0 = System.nanoTime();
    String bootstrap = TestStores.kafkaBootstrap();
    System.out.printf("TestStores.kafkaBootstrap() first call %d ms -> %s%n", (System.nanoTime() - t0) / 1_000_000, bootstrap);
    assertEquals(bootstrap, TestStores.kafkaBootstrap());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      assertEquals(1, admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size());
    }
  }

  @Test
  void ownInstancesArePrivateAndRestartable() throws Exception {
    EmbeddedPg pg = TestStores.ownPg();
    EmbeddedRedis redis = TestStores.ownRedis();
    // moved from EmbeddedPgTest (devservices cannot see the kit): the kit's conversion agrees with the server's own
    assertEquals(pg.jdbcUrl(), TestStores.pgJdbcUrl(pg.url()));
    assertNotEquals(5432, pg.port());
    assertNotEquals(6379, redis.port());
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (v int)");
      st.execute("INSERT INTO t VALUES (42)");
    }
    try (Resp r = new Resp(redis.port())) {
      assertEquals("OK", r.call("SET", "k", "v"));
    }
    // outage
    pg.close();
    redis.close();
    assertFalse(FreePorts.listening(pg.port(), 200));
    assertFalse(FreePorts.listening(redis.port(), 200));
    // recovery on the same port and data
    EmbeddedPg pg2 = TestStores.restart(pg);
    EmbeddedRedis redis2 = TestStores.restart(redis);
    assertNotSame(pg, pg2);
    assertEquals(pg.port(), pg2.port());
    try (Connection c = DriverManager.getConnection(pg2.jdbcUrl()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT v FROM t")) {
      assertTrue(rs.next());
      assertEquals(42, rs.getInt(1));
    }
    try (Resp r = new Resp(redis2.port())) {
      assertEquals("v", r.call("GET", "k"));
    }
  }
}
