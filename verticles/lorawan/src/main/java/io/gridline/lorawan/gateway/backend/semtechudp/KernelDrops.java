package io.gridline.lorawan.gateway.backend.semtechudp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Datagrams the kernel dropped for the UDP socket on a port before the server read them (its receive buffer was full):
 * the {@code drops} column of {@code /proc/net/udp} and {@code /proc/net/udp6}, Linux only. Such losses are otherwise
 * invisible — the bench found 148,120 of them in one run before the buffer was sized — so they are a gauge.
 */
final class KernelDrops {
  private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

  private KernelDrops() {}

  /** The drops of the sockets bound to {@code port}; empty where the tables do not exist (not Linux). */
  static OptionalLong read(int port) {
    long sum = 0;
    boolean found = false;
    for (Path table : TABLES) {
      if (!Files.isReadable(table)) {
        continue;
      }
      try {
        OptionalLong drops = parse(Files.readAllLines(table), port);
        if (drops.isPresent()) {
          sum += drops.getAsLong();
          found = true;
        }
      } catch (IOException | RuntimeException e) {
        // the table changed under us or is not what Linux writes: no figure this time
      }
    }
    return found ? OptionalLong.of(sum) : OptionalLong.empty();
  }

  /** The summed drops of the table's rows whose local port is {@code port} (hex after the colon). */
  static OptionalLong parse(List<String> lines, int port) {
    String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
    long sum = 0;
    boolean found = false;
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (f.length < 13 || !f[1].toUpperCase(Locale.ROOT).endsWith(hexPort)) {
        continue;
      }
      sum += Long.parseLong(f[f.length - 1]);
      found = true;
    }
    return found ? OptionalLong.of(sum) : OptionalLong.empty();
  }
}
