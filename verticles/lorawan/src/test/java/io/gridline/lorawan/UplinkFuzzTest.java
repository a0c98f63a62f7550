package io.gridline.lorawan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.FCtrl;
import io.gridline.lrwn.frame.Fhdr;
import io.gridline.lrwn.frame.FrmCipher;
import io.gridline.lrwn.frame.MType;
import io.gridline.lrwn.frame.Mic;
import io.gridline.lrwn.frame.SessionKeys;
import io.gridline.runtime.Meters;
import io.gridline.testkit.TestGateway;
import io.gridline.testkit.Waits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated input through the running network server over real UDP: 100k datagrams (random bytes, mutated
 * headers and JSON of valid PUSH_DATA) and 100k PHYPayloads (random, and mutations of a provisioned device's valid
 * frames) in well-formed PUSH_DATA. Every datagram comes out counted once (handled by type, or refused by reason),
 * every PHYPayload counted once (accepted, refused by reason, or a dedup copy), none as {@code internal}; the device's
 * next valid uplink is still accepted.
 */
class UplinkFuzzTest {
  private static final int DATAGRAMS = 100_000;
  private static final int PHY_PAYLOADS = 100_000;
  private static final int RXPK_PER_DATAGRAM = 8;
  private static final String GW = "aa555a00000000f1";
  private static final long SEED = 20_261_203L;
  private static LorawanFixture fx;
  private static int port;
  private static long deviceId;
  /** Random per run: Redis is the machine's, and other runs' sessions (under other keys) may still be indexed there. */
  private static final String DEV_ADDR = "27" + HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(4)
      .putInt(new Random().nextInt()).array()).substring(2);
  private static final SessionKeys KEYS = new SessionKeys(AesKey.fromHex("0102030405060708090a0b0c0d0e0f10"),
      AesKey.fromHex("100f0e0d0c0b0a090807060504030201"));

  @BeforeAll
  static void start() {
    Metrics.addRegistry(new SimpleMeterRegistry());
    fx = new LorawanFixture();
    UUID tenant = fx.tenant("fuzz");
    fx.gateway(tenant, GW);
    String devEui = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(new Random().nextLong()).array());
    deviceId = fx.device(tenant, devEui, null, null, "none", new JsonObject());
    fx.abp(deviceId, devEui, DEV_ADDR, KEYS.nwkSKey(), KEYS.appSKey(), 0);
    // a short dedup window: the frames that get that far are paced on it, and nothing here has copies to wait for
    port = fx.deploy(fx.config().put("lorawan.dedup-window-ms", 10)).udpPort();
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private static double sum(String meter) {
    return Meters.registry().find(meter).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static double count(String meter, String tag, String value) {
    Counter c = Meters.registry().find(meter).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private static double datagramsCounted() {
    return sum("gridline.lorawan.datagrams") + sum("gridline.lorawan.datagrams.refused");
  }

  private static double phyPayloadsCounted() {
    return sum("gridline.lorawan.uplinks.accepted") + sum("gridline.lorawan.uplinks.refused")
        + sum("gridline.lorawan.dedup.copies") + sum("gridline.lorawan.joins.accepted");
  }

  static byte[] validUplink(long fCnt, byte[] plain) {
    DataFrame frame = new DataFrame(MType.UNCONFIRMED_DATA_UP, new Fhdr(DevAddr.fromHex(DEV_ADDR),
        FCtrl.uplink(false, false, false, false), (int) (fCnt & 0xFFFF), Bytes.EMPTY), OptionalInt.of(2),
        Bytes.of(plain), 0);
    return Mic.signData(FrmCipher.encrypt(frame, KEYS, fCnt), KEYS.nwkSKey(), fCnt).encode();
  }

  private static JsonObject rxpk(byte[] phy, long tmst) {
    return new JsonObject().put("tmst", tmst).put("chan", 0).put("rfch", 0).put("freq", 868.1).put("stat", 1)
        .put("modu", "LORA").put("datr", "SF7BW125").put("codr", "4/5").put("rssi", -60).put("lsnr", 7.5)
        .put("size", phy.length).put("data", Base64.getEncoder().encodeToString(phy));
  }

  private static byte[] pushData(Random random, JsonObject body) {
    byte[] json = body.encode().getBytes(StandardCharsets.UTF_8);
    byte[] d = new byte[12 + json.length];
    d[0] = 2;
    d[1] = (byte) random.nextInt(256);
    d[2] = (byte) random.nextInt(256);
    d[3] = 0x00;
    System.arraycopy(HexFormat.of().parseHex(GW), 0, d, 4, 8);
    System.arraycopy(json, 0, d, 12, json.length);
    return d;
  }

  private static byte[] mutate(Random random, byte[] seed) {
    byte[] out = seed.clone();
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && out.length > 0; i++) {
      switch (random.nextInt(4)) {
        case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        case 1 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        case 2 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length + 1));
        default -> {
          byte[] longer = java.util.Arrays.copyOf(out, out.length + 1 + random.nextInt(8));
          for (int j = out.length; j < longer.length; j++) {
            longer[j] = (byte) random.nextInt(256);
          }
          out = longer;
        }
      }
    }
    return out;
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * Sends in bursts small enough for the kernel's receive buffer (about 270 small datagrams fit in its default 208 KiB:
   * each costs its whole socket buffer, not its bytes), waiting for the server to count each burst.
   */
  private static void sendPaced(TestGateway gateway, List<byte[]> datagrams, double before, int perBurst)
      throws Exception {
    for (int from = 0; from < datagrams.size(); from += perBurst) {
      int to = Math.min(datagrams.size(), from + perBurst);
      for (int i = from; i < to; i++) {
        gateway.raw(datagrams.get(i));
      }
      double expected = before + to;
      long deadline = System.currentTimeMillis() + 10_000;
      while (datagramsCounted() < expected && System.currentTimeMillis() < deadline) {
        Thread.sleep(1);
      }
      if (datagramsCounted() < expected) {
        List<String> missing = new ArrayList<>();
        for (int i = from; i < to && missing.size() < 5; i++) {
          missing.add(HexFormat.of().formatHex(datagrams.get(i)));
        }
        throw new AssertionError("counted " + (datagramsCounted() - before) + " of " + to + "; burst began with "
            + missing);
      }
    }
  }

  @Test
  void nothingEscapesAndEveryRejectIsCounted() throws Exception {
    Random random = new Random(SEED);
    byte[] validPush = pushData(random, new JsonObject().put("rxpk", new JsonArray()
        .add(rxpk(validUplink(1_000, new byte[] {1, 2, 3}), 1))));
    try (TestGateway gateway = new TestGateway(GW, port)) {
      // 1. datagrams: random bytes, and valid PUSH_DATA/PULL_DATA/TX_ACK mutated anywhere (header, token, EUI, JSON)
      List<byte[]> datagrams = new ArrayList<>(DATAGRAMS);
      for (int i = 0; i < DATAGRAMS; i++) {
        datagrams.add(i % 3 == 0 ? randomBytes(random, random.nextInt(300)) : mutate(random, validPush));
      }
      double datagramsBefore = datagramsCounted();
      sendPaced(gateway, datagrams, datagramsBefore, 100);
      assertEquals(datagramsBefore + DATAGRAMS, datagramsCounted(), "every datagram counted once");
      assertEquals(0, count("gridline.lorawan.datagrams.refused", "reason", "internal"));

      // what those datagrams carried through to the uplink handler settles, then PHYPayloads are counted exactly
      Waits.until("the uplink handler settled", 30_000, () -> {
        double a = phyPayloadsCounted();
        Waits.sleep(1_000);
        return phyPayloadsCounted() == a;
      });
      double phyBefore = phyPayloadsCounted();
      List<byte[]> pushes = new ArrayList<>();
      JsonArray rx = new JsonArray();
      for (int i = 0; i < PHY_PAYLOADS; i++) {
        // mostly random (refused by the frame codec); one in eight a mutated valid frame of the device, which goes on
        // through dedup (Redis) and the session checks
        byte[] phy = i % 8 == 0 ? mutate(random, validUplink(2_000 + i, randomBytes(random, 1 + random.nextInt(20))))
            : randomBytes(random, random.nextInt(64));
        rx.add(rxpk(phy, i));
        if (rx.size() == RXPK_PER_DATAGRAM) {
          pushes.add(pushData(random, new JsonObject().put("rxpk", rx)));
          rx = new JsonArray();
        }
      }
      for (int from = 0; from < pushes.size(); from += 25) {
        int to = Math.min(pushes.size(), from + 25);
        for (int i = from; i < to; i++) {
          gateway.raw(pushes.get(i));
        }
        // the next burst once this one's frames are all counted: a flood beyond what Redis takes is refused
        // (dedup-unavailable), which this test is not about
        double expected = phyBefore + (double) to * RXPK_PER_DATAGRAM;
        long burstDeadline = System.currentTimeMillis() + 10_000;
        while (phyPayloadsCounted() < expected && System.currentTimeMillis() < burstDeadline) {
          Thread.sleep(2);
        }
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (phyPayloadsCounted() < phyBefore + PHY_PAYLOADS && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      if (phyPayloadsCounted() < phyBefore + PHY_PAYLOADS) {
        StringBuilder why = new StringBuilder();
        Meters.registry().find("gridline.lorawan.uplinks.refused").counters()
            .forEach(c -> why.append(c.getId().getTag("reason")).append('=').append(c.count()).append(' '));
        throw new AssertionError("counted " + (phyPayloadsCounted() - phyBefore) + " of " + PHY_PAYLOADS + ": " + why);
      }
      Thread.sleep(1_000);
      assertEquals(phyBefore + PHY_PAYLOADS, phyPayloadsCounted(), "every PHYPayload counted once");
      assertEquals(0, count("gridline.lorawan.uplinks.refused", "reason", "internal"));
      assertEquals(0, count("gridline.lorawan.uplinks.refused", "reason", "dedup-unavailable"));

      // still serving: the device's next valid uplink is accepted
      long frames = fx.queryLong("SELECT count(*) FROM lorawan_frames WHERE device_id = ?", deviceId);
      long next = fx.queryLong("SELECT f_cnt_up FROM lorawan_sessions WHERE device_id = ?", deviceId);
      gateway.push(validUplink(next, new byte[] {9, 9}), -50, 9);
      Waits.until("a valid uplink after the fuzz stored", 15_000,
          () -> fx.queryLong("SELECT count(*) FROM lorawan_frames WHERE device_id = ?", deviceId) == frames + 1);
    }
  }
}
