package io.gridline.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPgTest {

  @TempDir
  Path dir;

  @Test
  void selectOneAndKeepsDataAcrossRestart() throws Exception {
    long t0 = System.nanoTime();
    EmbeddedPg pg = EmbeddedPg.start(dir, 0);
    System.out.printf("embedded PostgreSQL first start (initdb) in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    int port = pg.port();
    try {
      assertEquals("postgresql://postgres@127.0.0.1:" + port + "/gridline", pg.url());
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT 1, current_database(), current_setting('server_version_num')::int")) {
          assertTrue(rs.next());
          assertEquals(1, rs.getInt(1));
          assertEquals("gridline", rs.getString(2));
          assertTrue(rs.getInt(3) >= 170000, "PostgreSQL 17");
        }
        st.execute("CREATE TABLE kept (id int PRIMARY KEY, v text)");
        st.execute("INSERT INTO kept VALUES (1, 'survives')");
      }
      assertFalse(pg.createDatabaseIfMissing("gridline"));
      assertThrows(IllegalStateException.class, () -> EmbeddedPg.start(dir, 0), "a second server on the same directory");
    } finally {
      pg.close();
    }
    pg.close(); // idempotent
    assertFalse(FreePorts.listening(port, 200));

    t0 = System.nanoTime();
    EmbeddedPg again = EmbeddedPg.start(dir, port);
    System.out.printf("embedded PostgreSQL restart in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    try (Connection c = DriverManager.getConnection(again.jdbcUrl()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT v FROM kept WHERE id = 1")) {
      assertTrue(rs.next());
      assertEquals("survives", rs.getString(1));
    } finally {
      again.close();
    }
  }
}
