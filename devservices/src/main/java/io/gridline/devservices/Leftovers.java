package io.gridline.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server processes (PostgreSQL, Redis) outlive a JVM that was killed with SIGKILL. A later start on the
 * same data directory would then fail (port or data directory in use), so before starting we stop such a
 * leftover: only when no live process holds the data directory's lock file, only a process whose command
 * names the expected server, and with the server's own clean-shutdown signal first.
 */
final class Leftovers {

  private static final Logger log = LoggerFactory.getLogger(Leftovers.class);

  private Leftovers() {
  }

  /** True when no other process (and no other instance in this JVM) holds the lock file. */
  static boolean lockFree(Path lockFile) {
    if (!Files.exists(lockFile)) {
      return true;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return false;
      }
      lock.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + lockFile, e);
    }
  }

  /**
   * If pidFile names a live process whose command contains commandPart, stop it: signal (e.g. "INT" for a
   * fast PostgreSQL shutdown, "TERM" for Redis) and wait up to waitSeconds, then SIGKILL.
   */
  static void stop(Path pidFile, String commandPart, String what, String signal, int waitSeconds) {
    Optional<ProcessHandle> leftover = find(pidFile, commandPart);
    if (leftover.isEmpty()) {
      return;
    }
    ProcessHandle h = leftover.get();
    log.warn("devservices: stopping a leftover {} (pid {}) that still runs on {} from an earlier run", what, h.pid(), pidFile.getParent());
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(h.pid())).redirectErrorStream(true).start();
      kill.getInputStream().readAllBytes();
      if (kill.waitFor() != 0) {
        h.destroy();
      }
      h.onExit().get(waitSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      h.destroyForcibly();
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the start that follows
      }
    }
  }

  private static Optional<ProcessHandle> find(Path pidFile, String commandPart) {
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    long pid;
    try {
      String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
      pid = Long.parseLong(first);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    if (pid == ProcessHandle.current().pid()) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.contains(commandPart)).orElse(false));
  }
}
