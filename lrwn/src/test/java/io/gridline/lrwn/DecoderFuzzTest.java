package io.gridline.lrwn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.frame.EncryptedJoinAccept;
import io.gridline.lrwn.frame.FrameException;
import io.gridline.lrwn.frame.FrmCipher;
import io.gridline.lrwn.frame.JoinAcceptCipher;
import io.gridline.lrwn.frame.JoinRequest;
import io.gridline.lrwn.frame.Mic;
import io.gridline.lrwn.frame.PhyPayload;
import io.gridline.lrwn.frame.SessionKeys;
import io.gridline.lrwn.gw.BridgeStats;
import io.gridline.lrwn.gw.BridgeTxAck;
import io.gridline.lrwn.gw.BridgeUplink;
import io.gridline.lrwn.gw.GatewayBridgeException;
import io.gridline.lrwn.semtechudp.SemtechPacket;
import io.gridline.lrwn.semtechudp.SemtechPacketException;
import io.gridline.lrwn.maccommand.MacCommandException;
import io.gridline.lrwn.maccommand.MacCommands;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated PHYPayloads, UDP datagrams and gateway-bridge JSON through every decoder: the only thing allowed out is the layer's
 * reason-coded refusal. A frame that decodes is also pushed through MIC, decryption, MAC command parsing and
 * re-encoding. Refusals are counted by reason so a run shows what it reached.
 */
class DecoderFuzzTest {
  private static final int CASES = 100_000;
  private static final long SEED = 20_240_501L;
  private static final HexFormat HEX = HexFormat.of();
  private static final AesKey KEY = AesKey.fromHex("0102030405060708090a0b0c0d0e0f10");
  private static final SessionKeys KEYS = new SessionKeys(KEY, AesKey.fromHex("100f0e0d0c0b0a090807060504030201"));

  private static final List<byte[]> PHY_SEEDS = List.of(
      HEX.parseHex("40F17DBE4900020001954378762B11FF0D"),
      HEX.parseHex("80040302010300000673070ae264d4f7e117d2c0"),
      HEX.parseHex("00010101010101010102020202020202020303" + "09b97b32"),
      HEX.parseHex("2023cf335489aae3183c0be0baa8dee5f3"),
      HEX.parseHex("60f17dbe4985ffff0206" + "03" + "00" + "0352ff0001" + "11223344"),
      HEX.parseHex("a0da1b01262001000006" + "01020304"),
      HEX.parseHex("e0cafebabe"));

  private static final List<String> UDP_SEEDS = List.of(
      """
      {"rxpk":[{"time":"2013-03-31T16:21:17.528002Z","tmst":3512348611,"chan":2,"rfch":0,"freq":868.1,"stat":1,
      "modu":"LORA","datr":"SF7BW125","codr":"4/5","rssi":-35,"lsnr":5.1,"size":17,"data":"QPF9vkkAAgABlUN4disR/w0="},
      {"tmst":1,"chan":9,"rfch":1,"freq":868.8,"stat":-1,"modu":"FSK","datr":50000,"rssi":-75,"size":2,"data":"AAE=",
      "rsig":[{"ant":0,"chan":1,"rssic":-80,"lsnr":3.5}]}],
      "stat":{"time":"2014-01-12 08:59:28 GMT","lati":46.24,"long":3.2523,"alti":145,"rxnb":2,"rxok":2,"rxfw":2,
      "ackr":100.0,"dwnb":2,"txnb":2}}""",
      """
      {"txpk":{"imme":false,"tmst":3513348611,"freq":869.525,"rfch":0,"powe":14,"modu":"LORA","datr":"SF12BW125",
      "codr":"4/5","ipol":true,"size":9,"data":"YPF9vkkgAwAB"}}""",
      """
      {"txpk_ack":{"error":"COLLISION_PACKET"}}""");

  @Test
  void randomAndMutatedPhyPayloadsAreDecodedOrRefusedWithAReason() {
    Random random = new Random(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    long started = System.nanoTime();
    for (int i = 0; i < CASES; i++) {
      byte[] input = i % 4 == 0 ? randomBytes(random, random.nextInt(64)) : mutate(random, pick(random, PHY_SEEDS));
      try {
        outcomes.merge(exercisePhy(input), 1, Integer::sum);
      } catch (FrameException e) {
        outcomes.merge("refused " + e.label(), 1, Integer::sum);
      } catch (RuntimeException e) {
        fail("PHYPayload " + HEX.formatHex(input) + " escaped with " + e, e);
      }
    }
    report("PHYPayload", outcomes, started);
    assertTrue(outcomes.keySet().stream().filter(k -> k.startsWith("refused")).count() >= 6, outcomes::toString);
    assertTrue(outcomes.getOrDefault("data", 0) > 1000, outcomes::toString);
  }

  @Test
  void randomAndMutatedUdpDatagramsAreDecodedOrRefusedWithAReason() {
    Random random = new Random(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    long started = System.nanoTime();
    for (int i = 0; i < CASES; i++) {
      byte[] input = switch (i % 4) {
        case 0 -> randomBytes(random, random.nextInt(40));
        case 1 -> mutate(random, seedDatagram(random));
        default -> structuredDatagram(random);
      };
      try {
        SemtechPacket packet = SemtechPacket.decode(input);
        // what decodes must encode to something that decodes to the same packet
        assertEquals(packet, SemtechPacket.decode(packet.encode()));
        outcomes.merge("decoded " + packet.getClass().getSimpleName(), 1, Integer::sum);
      } catch (SemtechPacketException e) {
        outcomes.merge("refused " + e.label(), 1, Integer::sum);
      } catch (RuntimeException e) {
        fail("datagram " + HEX.formatHex(input) + " (" + new String(input, StandardCharsets.UTF_8) + ") escaped with "
            + e, e);
      }
    }
    report("UDP datagram", outcomes, started);
    assertTrue(outcomes.keySet().stream().filter(k -> k.startsWith("refused")).count() >= 6, outcomes::toString);
    assertTrue(outcomes.getOrDefault("decoded PushData", 0) > 1000, outcomes::toString);
  }

  /** ChirpStack Gateway Bridge JSON: event/up, event/ack, event/stats. */
  private static final List<String> BRIDGE_SEEDS = List.of(
      """
      {"phyPayload":"QPF9vkkAAgABlUN4disR/w0=","txInfo":{"frequency":868100000,"modulation":{"lora":{
      "bandwidth":125000,"spreadingFactor":7,"codeRate":"CR_4_5"}}},"rxInfo":{"gatewayId":"0016c001f153a14c",
      "uplinkId":4217106255,"rssi":-36,"snr":10.5,"channel":2,"rfChain":1,"context":"EFwMtA==","crcStatus":"CRC_OK"}}""",
      """
      {"gatewayId":"0016c001f153a14c","downlinkId":42,"items":[{"status":"OK"},{"status":"TOO_LATE"}]}""",
      """
      {"gatewayId":"0016c001f153a14c","time":"2026-12-04T02:00:00Z","location":{"latitude":52.37,"longitude":4.89,
      "altitude":3},"rxPacketsReceived":12,"rxPacketsReceivedOk":10,"txPacketsEmitted":2}""");

  @Test
  void randomAndMutatedGatewayBridgeMessagesAreReadOrRefusedWithAReason() {
    Random random = new Random(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    long started = System.nanoTime();
    for (int i = 0; i < CASES; i++) {
      int which = random.nextInt(3);
      JsonObject seed = new JsonObject(BRIDGE_SEEDS.get(which).replace("\n", ""));
      byte[] input = switch (i % 3) {
        case 0 -> mutate(random, seed.encode().getBytes(StandardCharsets.UTF_8));
        case 1 -> randomBytes(random, random.nextInt(40));
        default -> structuredBridgeMessage(random, seed);
      };
      try {
        Object read = switch (which) {
          case 0 -> BridgeUplink.fromJson(input);
          case 1 -> BridgeTxAck.fromJson(input);
          default -> BridgeStats.fromJson(input);
        };
        outcomes.merge("read " + read.getClass().getSimpleName(), 1, Integer::sum);
      } catch (GatewayBridgeException e) {
        outcomes.merge("refused " + e.label(), 1, Integer::sum);
      } catch (RuntimeException e) {
        fail("bridge message " + new String(input, StandardCharsets.UTF_8) + " escaped with " + e, e);
      }
    }
    report("gateway bridge message", outcomes, started);
    assertTrue(outcomes.keySet().stream().filter(k -> k.startsWith("refused")).count() >= 3, outcomes::toString);
    assertTrue(outcomes.getOrDefault("read BridgeUplink", 0) > 1000, outcomes::toString);
  }

  /** A valid bridge message with one value, at any depth, replaced by a value of a random kind or removed. */
  private static byte[] structuredBridgeMessage(Random random, JsonObject root) {
    JsonObject target = root;
    while (true) {
      List<String> keys = List.copyOf(target.fieldNames());
      String key = keys.get(random.nextInt(keys.size()));
      Object v = target.getValue(key);
      if (v instanceof JsonObject inner && !inner.isEmpty() && random.nextInt(4) != 0) {
        target = inner;
        continue;
      }
      if (random.nextInt(8) == 0) {
        target.remove(key);
      } else {
        target.put(key, randomValue(random));
      }
      return root.encode().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Decodes and, for what decodes, runs every later pure step; returns the outcome to count. */
  private static String exercisePhy(byte[] input) throws FrameException {
    PhyPayload payload = PhyPayload.decode(input);
    assertEquals(payload, PhyPayload.decode(payload.encode()));
    if (payload instanceof DataFrame frame) {
      long fCnt32 = frame.fhdr().fCnt();
      Mic.matchesData(frame, KEYS.nwkSKey(), fCnt32);
      var clear = FrmCipher.decrypt(frame, KEYS, fCnt32);
      try {
        MacCommands.decode(frame.direction(), frame.fhdr().fOpts());
        if (frame.fPort().isPresent() && frame.fPort().getAsInt() == 0) {
          MacCommands.decode(frame.direction(), clear);
        }
      } catch (MacCommandException e) {
        return "data, MAC commands refused " + e.label();
      }
      return "data";
    }
    if (payload instanceof EncryptedJoinAccept accept) {
      Mic.matchesJoinAccept(JoinAcceptCipher.decrypt(accept, KEY), KEY);
      return "join-accept";
    }
    if (payload instanceof JoinRequest request) {
      Mic.matchesJoinRequest(request, KEY);
      return "join-request";
    }
    return payload.mType().name().toLowerCase();
  }

  private static byte[] seedDatagram(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> datagram(0x00, true, pick(random, UDP_SEEDS.subList(0, 1)));
      case 1 -> datagram(0x03, false, UDP_SEEDS.get(1));
      case 2 -> datagram(0x05, true, UDP_SEEDS.get(2));
      case 3 -> datagram(0x02, true, "");
      default -> datagram(random.nextInt(6), random.nextBoolean(), "");
    };
  }

  /** A valid PUSH_DATA, PULL_RESP or TX_ACK with one JSON value replaced by a value of a random kind. */
  private static byte[] structuredDatagram(Random random) {
    int which = random.nextInt(3);
    JsonObject root = new JsonObject(UDP_SEEDS.get(which).replace("\n", ""));
    JsonObject target = switch (which) {
      case 0 -> random.nextInt(4) == 0 ? root.getJsonObject("stat")
          : root.getJsonArray("rxpk").getJsonObject(random.nextInt(2));
      case 1 -> root.getJsonObject("txpk");
      default -> root.getJsonObject("txpk_ack");
    };
    List<String> keys = List.copyOf(target.fieldNames());
    String key = keys.get(random.nextInt(keys.size()));
    if (random.nextInt(8) == 0) {
      target.remove(key);
    } else {
      target.put(key, randomValue(random));
    }
    int identifier = which == 0 ? 0x00 : which == 1 ? 0x03 : 0x05;
    return datagram(identifier, identifier != 0x03, root.encode());
  }

  private static Object randomValue(Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt();
      case 3 -> random.nextLong();
      case 4 -> random.nextDouble() * 2000 - 1000;
      case 5 -> Double.MAX_VALUE;
      case 6 -> new java.math.BigInteger(80, random);
      case 7 -> "SF" + random.nextInt(15) + "BW" + random.nextInt(1000);
      case 8 -> HEX.formatHex(randomBytes(random, random.nextInt(8)));
      case 9 -> new JsonArray().add(random.nextInt()).add(new JsonObject());
      case 10 -> new JsonObject().put("x", 1);
      default -> java.util.Base64.getEncoder().encodeToString(randomBytes(random, random.nextInt(20)));
    };
  }

  private static byte[] datagram(int identifier, boolean withGateway, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    int header = withGateway ? 12 : 4;
    byte[] b = new byte[header + body.length];
    b[0] = 2;
    b[1] = 0x12;
    b[2] = 0x34;
    b[3] = (byte) identifier;
    for (int i = 4; i < header; i++) {
      b[i] = (byte) (0xA0 + i);
    }
    System.arraycopy(body, 0, b, header, body.length);
    return b;
  }

  /** One to three byte-level edits: flip a bit, set a byte, cut, extend, insert or delete. */
  private static byte[] mutate(Random random, byte[] seed) {
    byte[] b = seed.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = b.length == 0 ? 0 : random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> {
          if (b.length > 0) {
            b[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          if (b.length > 0) {
            b[at] = (byte) random.nextInt(256);
          }
        }
        case 2 -> b = Arrays.copyOf(b, at);
        case 3 -> b = concat(b, randomBytes(random, 1 + random.nextInt(20)));
        case 4 -> b = concat(concat(Arrays.copyOf(b, at), new byte[] {(byte) random.nextInt(256)}),
            Arrays.copyOfRange(b, at, b.length));
        default -> {
          if (b.length > 0) {
            b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + 1, b.length));
          }
        }
      }
    }
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  private static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static void report(String what, Map<String, Integer> outcomes, long started) {
    System.out.printf("%,d %ss in %d ms: %s%n", CASES, what, (System.nanoTime() - started) / 1_000_000, outcomes);
  }
}
