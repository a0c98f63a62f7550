package io.gridline.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import redis.embedded.RedisServer;

/**
 * An embedded Redis 6.2 server (the binary bundled by codemonstur embedded-redis, a child process).
 *
 * <p>Listens on 127.0.0.1 only, without a password. Persists to its data directory: append-only file
 * (fsync every second) plus RDB snapshots, both written again on a clean stop, so a restart on the same
 * directory keeps the keys.
 */
public final class EmbeddedRedis implements AutoCloseable {

  /** The server's version, for log lines. */
  public static final String VERSION = "6.2";

  private final RedisServer server;
  private final Path dataDir;
  private final int port;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private boolean closed;

  private EmbeddedRedis(RedisServer server, Path dataDir, int port, FileChannel lockChannel, FileLock lock) {
    this.server = server;
    this.dataDir = dataDir;
    this.port = port;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Starts Redis on 127.0.0.1:port (0: a free port) persisting to dataDir (created if missing).
   *
   * @throws IllegalStateException if the port is taken, the directory is used by a running server, or the
   *     server does not start
   */
  public static EmbeddedRedis start(Path dataDir, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    FileChannel lockChannel = null;
    FileLock lock = null;
    try {
      Files.createDirectories(dir);
      lockChannel = FileChannel.open(dir.resolve("redis.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IllegalStateException("cannot start embedded Redis: " + dir + " is used by another running server");
      }
      Leftovers.stop(dir.resolve("redis.pid"), "redis-server", "Redis", "TERM", 15);
      if (port != 0) {
        FreePorts.requireFree(port, "Redis");
      }
      int p = port == 0 ? FreePorts.find() : port;
      RedisServer server = RedisServer.newRedisServer()
          .bind("127.0.0.1")
          .port(p)
          .setting("dir " + quote(dir.toString()))
          .setting("pidfile " + quote(dir.resolve("redis.pid").toString()))
          .setting("appendonly yes")
          .setting("appendfsync everysec")
          .setting("save 900 1")
          .setting("save 300 10")
          .setting("save 60 10000")
          .setting("daemonize no")
          .setting("protected-mode yes")
          .onShutdownForceStop(false)
          .build();
      try {
        server.start();
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("embedded Redis did not start on 127.0.0.1:" + p + " (data in " + dataDir + "): " + e.getMessage(), e);
      }
      return new EmbeddedRedis(server, dir, p, lockChannel, lock);
    } catch (IOException e) {
      release(lockChannel, lock);
      throw new UncheckedIOException("cannot prepare Redis data directory " + dir, e);
    } catch (RuntimeException e) {
      release(lockChannel, lock);
      throw e;
    }
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The absolute data directory (pass it to {@link #start} again to restart with the same data). */
  public Path dataDir() {
    return dataDir;
  }

  /** Stops the server (SIGTERM: Redis writes its files and exits) and waits for it. Idempotent; a concurrent caller waits for the first. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        server.stop();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop embedded Redis on " + url(), e);
      } finally {
        release(lockChannel, lock);
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedRedis[" + url() + ", " + dataDir + "]";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void release(FileChannel ch, FileLock lock) {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    try {
      if (ch != null) {
        ch.close();
      }
    } catch (IOException ignored) {
      // nothing left to do
    }
  }
}
