package io.gridline.sim.faces2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimOptionsTest {

  @Test
  void defaultsTargetTheDevProfile() {
    SimOptions o = SimOptions.parse();
    assertEquals("tcp://127.0.0.1:1884", o.serverUri());
    assertEquals(4, o.devices);
    assertEquals("aa:bb:cc:dd:ee:01", o.mac(0).toString());
    assertEquals("f2-aabbccddee04", o.mac(3).clientId());
    assertEquals(List.of(1, 2), o.modes);
    assertEquals(10, o.durationSeconds());
    assertEquals("ssl://127.0.0.1:8884", SimOptions.parse("--tls").serverUri());
  }

  @Test
  void parsesEveryOption() {
    SimOptions o = SimOptions.parse("--host", "h", "--port", "1999", "--devices", "2", "--first-mac", "AA-BB-CC-DD-EE-FF",
        "--rate", "0.5", "--qos", "2", "--count", "7", "--modes", "2", "--sensors", "3", "--secret", "s",
        "--max-inflight", "5", "--tls", "--ca", "ca.pem", "--cert", "c.pem", "--key", "k.pem");
    assertEquals("ssl://h:1999", o.serverUri());
    assertEquals("aa:bb:cc:dd:ef:00", o.mac(1).toString(), "MACs count up across the byte boundary");
    assertEquals(0.5, o.rate);
    assertEquals(2, o.qos);
    assertEquals(7L, o.count);
    assertTrue(Double.isInfinite(o.durationSeconds()), "--count alone runs until the count is reached");
    assertEquals(List.of(2), o.modes);
    assertEquals("stat/f2-aabbccddeeff/sensor-mode/2/sensor-3", o.mac(0).topic(2, 3));
  }

  @Test
  void badInputNamesTheOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--qos", "3")).getMessage()
        .contains("--qos"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--modes", "1,3")).getMessage()
        .contains("--modes"));
    assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--rate", "0"));
    assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--cert", "c.pem", "--tls"));
    assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--ca", "ca.pem"));
    assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--first-mac", "ff:ff:ff:ff:ff:ff",
        "--devices", "2"));
    assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--bogus", "1"));
    assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--devices"));
  }

  @Test
  void secretsFileOverridesTheSharedSecret(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secrets");
    Files.writeString(file, "# devices\naa:bb:cc:dd:ee:01 gld_one\n\naabbccddee02   gld_two  # second\n");
    DeviceSecrets secrets = DeviceSecrets.load(file, "shared");
    assertEquals("gld_one", secrets.secretOf(DeviceMac.parse("aa:bb:cc:dd:ee:01")));
    assertEquals("gld_two", secrets.secretOf(DeviceMac.parse("aa:bb:cc:dd:ee:02")));
    assertEquals("shared", secrets.secretOf(DeviceMac.parse("aa:bb:cc:dd:ee:03")));
    assertNull(DeviceSecrets.load(null, null).secretOf(DeviceMac.parse("aa:bb:cc:dd:ee:03")));
  }
}
