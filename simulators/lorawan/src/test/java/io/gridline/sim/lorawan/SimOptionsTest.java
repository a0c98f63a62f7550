package io.gridline.sim.lorawan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.frame.Eui64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimOptionsTest {
  @Test
  void defaults() {
    SimOptions o = SimOptions.parse();
    assertEquals("127.0.0.1", o.host);
    assertEquals(1700, o.port);
    assertEquals(3, o.gateways);
    assertEquals(3, o.heardBy());
    assertEquals(10.0, o.sendSeconds());
    assertEquals(868_100_000L, o.frequencyHz);
  }

  @Test
  void readsEveryOption() {
    SimOptions o = SimOptions.parse("--host", "10.0.0.2", "--port", "1701", "--gateways", "5", "--heard-by", "2",
        "--first-gateway", "AA555A0000000000", "--devices", "9", "--fport", "10", "--payload", "cafe",
        "--confirmed", "0.5", "--rate", "2", "--count", "3", "--frequency", "868.3", "--datr", "SF9BW125",
        "--drain", "0", "--api", "http://127.0.0.1:8080/", "--api-key", "glk_x", "--progress", "1");
    assertEquals(5, o.gateways);
    assertEquals(2, o.heardBy());
    assertEquals(Eui64.fromHex("aa555a0000000000"), o.firstGateway);
    assertEquals(0.5, o.confirmed);
    assertNull(o.sendSeconds(), "a count alone bounds the run");
    assertEquals(868_300_000L, o.frequencyHz);
    assertEquals("SF9BW125", o.datr);
    assertEquals("http://127.0.0.1:8080", o.api.toString());
  }

  @Test
  void aBadOptionIsNamed() {
    assertEquals("--port must be 1..65535, not 0",
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--port", "0")).getMessage());
    assertEquals("--heard-by 4 is more than --gateways 3",
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--heard-by", "4")).getMessage());
    assertEquals("--confirmed must be 0..1, not 2",
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--confirmed", "2")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--first-gateway", "xyz"))
        .getMessage().startsWith("--first-gateway"));
    assertEquals("--api and --api-key go together",
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--api", "http://x")).getMessage());
    assertEquals("unknown option --bogus",
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("--bogus", "1")).getMessage());
  }

  @Test
  void devicesFromFilesOrGenerated(@TempDir Path dir) throws Exception {
    Path abp = dir.resolve("abp.txt");
    Files.writeString(abp, "# devEui devAddr nwkSKey appSKey\n"
        + "0102030405060708 26011bda 2b7e151628aed2a6abf7158809cf4f3c 2b7e151628aed2a6abf7158809cf4f3d\n\n");
    Path otaa = dir.resolve("otaa.txt");
    Files.writeString(otaa, "0102030405060709 70b3d57ed0000000 2b7e151628aed2a6abf7158809cf4f3c # a sensor\n");
    List<SimDevice> devices = Devices.of(SimOptions.parse("--abp", abp.toString(), "--otaa", otaa.toString()));
    assertEquals(2, devices.size());
    assertEquals("26011bda", devices.get(0).devAddr().orElseThrow().hex());
    assertTrue(devices.get(1).otaa);
    List<SimDevice> generated = Devices.of(SimOptions.parse("--devices", "3", "--first-dev-addr", "260100ff"));
    assertEquals("26010101", generated.get(2).devAddr().orElseThrow().hex());
    assertEquals(Eui64.fromHex("70b3d5499a000003"), generated.get(2).devEui);
    Files.writeString(otaa, "0102030405060709 70b3d57ed0000000 2b7e151628aed2a6abf7158809cf4f3c\n"
        + "010203040506070a 70b3d57ed0000000 2B7E151628AED2A6ABF7158809CF4F3C\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Devices.of(SimOptions.parse("--otaa",
        otaa.toString()))).getMessage().contains("two OTAA devices share the AppKey"));
    Files.writeString(abp, "0102030405060708 26011bda\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Devices.of(SimOptions.parse("--abp",
        abp.toString()))).getMessage().endsWith(":1: expected \"devEui devAddr nwkSKey appSKey\", got "
        + "\"0102030405060708 26011bda\""));
  }
}
