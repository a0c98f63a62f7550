package io.gridline.lorawan.gateway.backend.semtechudp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class KernelDropsTest {
  /** Rows as Linux writes /proc/net/udp: the socket on 1700 (0x06A4) dropped 148120 datagrams. */
  private static final List<String> TABLE = List.of(
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer "
          + "drops",
      "  118: 0100007F:06A4 00000000:0000 07 00000000:00034000 00:00000000 00000000     0        0 901234 2 "
          + "0000000000000000 148120",
      "  220: 00000000:1F90 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 905678 2 "
          + "0000000000000000 7");

  @Test
  void readsTheDropsOfTheSocketOnThePort() {
    assertEquals(OptionalLong.of(148_120), KernelDrops.parse(TABLE, 1700));
    assertEquals(OptionalLong.of(7), KernelDrops.parse(TABLE, 8080));
    assertTrue(KernelDrops.parse(TABLE, 1701).isEmpty());
  }

  @Test
  void aSocketThisProcessBoundIsFoundInTheRealTable() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0)) {
      if (Files.isReadable(Path.of("/proc/net/udp"))) {
        assertEquals(OptionalLong.of(0), KernelDrops.read(s.getLocalPort()));
      }
    }
  }
}
