package io.gridline.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisTest {

  @TempDir
  Path dir;

  @Test
  void setGetAndKeepsDataAcrossRestart() throws Exception {
    long t0 = System.nanoTime();
    EmbeddedRedis redis = EmbeddedRedis.start(dir, 0);
    System.out.printf("embedded Redis started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    int port = redis.port();
    try {
      assertEquals("redis://127.0.0.1:" + port, redis.url());
      try (Resp r = new Resp(port)) {
        assertEquals("PONG", r.call("PING"));
        assertEquals("OK", r.call("SET", "gridline:test", "hello"));
        assertEquals("hello", r.call("GET", "gridline:test"));
        assertEquals("1", r.call("HSET", "gridline:h", "f", "v"));
      }
      assertThrows(IllegalStateException.class, () -> EmbeddedRedis.start(dir, 0), "a second server on the same directory");
    } finally {
      redis.close();
    }
    redis.close(); // idempotent
    assertFalse(FreePorts.listening(port, 200));
    assertTrue(Files.exists(dir.resolve("dump.rdb")) || Files.exists(dir.resolve("appendonly.aof")));

    t0 = System.nanoTime();
    EmbeddedRedis again = EmbeddedRedis.start(dir, port);
    System.out.printf("embedded Redis restarted in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    try (Resp r = new Resp(again.port())) {
      assertEquals(port, again.port());
      assertEquals("hello", r.call("GET", "gridline:test"));
      assertEquals("v", r.call("HGET", "gridline:h", "f"));
    } finally {
      again.close();
    }
  }

  @Test
  void takenPortFailsFast() throws IOException {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedRedis.start(dir, taken.getLocalPort()));
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
    }
  }
}
