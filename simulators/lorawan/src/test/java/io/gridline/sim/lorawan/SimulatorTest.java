package io.gridline.sim.lorawan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.DlSettings;
import io.gridline.lrwn.frame.FCtrl;
import io.gridline.lrwn.frame.Fhdr;
import io.gridline.lrwn.frame.FrmCipher;
import io.gridline.lrwn.frame.JoinAccept;
import io.gridline.lrwn.frame.JoinAcceptCipher;
import io.gridline.lrwn.frame.JoinRequest;
import io.gridline.lrwn.frame.KeyDerivation;
import io.gridline.lrwn.frame.MType;
import io.gridline.lrwn.frame.Mic;
import io.gridline.lrwn.frame.NetId;
import io.gridline.lrwn.frame.PhyPayload;
import io.gridline.lrwn.frame.SessionKeys;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against a network server written here from the Semtech protocol's text over a raw socket: it
 * acknowledges PUSH_DATA and PULL_DATA, answers a JoinRequest with a JoinAccept and each confirmed uplink with a
 * confirmed downlink carrying the ACK bit, through the gateway that sent the PULL_DATA.
 */
class SimulatorTest {
  private static final AesKey NWK = AesKey.fromHex("2b7e151628aed2a6abf7158809cf4f3c");
  private static final AesKey APP = AesKey.fromHex("2b7e151628aed2a6abf7158809cf4f3d");
  private static final AesKey APP_KEY = AesKey.fromHex("000102030405060708090a0b0c0d0e0f");
  private static final DevAddr JOINED = DevAddr.fromHex("26aabbcc");

  /** One uplink copy as the server got it. */
  private record Copy(String gateway, int rssi, double snr, byte[] phy) {}

  /** The fake network server: a thread reading the socket, recording and answering. */
  private static final class FakeServer implements AutoCloseable {
    final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    final List<Copy> copies = new ArrayList<>();
    final Map<String, SocketAddress> pullAddress = new HashMap<>();
    final Set<String> answered = new HashSet<>();
    int txAcks;
    SessionKeys joinedKeys;
    int downCount;
    private final Thread thread = new Thread(this::serve, "fake-network-server");

    FakeServer() throws SocketException {
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve() {
      byte[] buf = new byte[65_535];
      while (!socket.isClosed()) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
          handle(Arrays.copyOf(p.getData(), p.getLength()), p.getSocketAddress());
        } catch (Exception e) {
          if (!socket.isClosed()) {
            throw new IllegalStateException(e);
          }
        }
      }
    }

    private synchronized void handle(byte[] d, SocketAddress from) throws Exception {
      int identifier = d[3];
      String gateway = HexFormat.of().formatHex(d, 4, 12);
      if (identifier == 0x02) { // PULL_DATA → PULL_ACK, and this is where the gateway's downlinks go
        pullAddress.put(gateway, from);
        reply(from, d[1], d[2], 0x04, null);
      } else if (identifier == 0x05) {
        txAcks++;
      } else if (identifier == 0x00) { // PUSH_DATA → PUSH_ACK
        reply(from, d[1], d[2], 0x01, null);
        JsonObject rx = new JsonObject(new String(d, 12, d.length - 12, StandardCharsets.UTF_8))
            .getJsonArray("rxpk").getJsonObject(0);
        byte[] phy = Base64.getDecoder().decode(rx.getString("data"));
        copies.add(new Copy(gateway, rx.getInteger("rssi"), rx.getDouble("lsnr"), phy));
        if (answered.add(HexFormat.of().formatHex(phy))) { // the first copy of a frame is answered, once
          answer(PhyPayload.decode(phy), gateway);
        }
      }
    }

    private void answer(PhyPayload phy, String gateway) throws Exception {
      byte[] down = null;
      if (phy instanceof JoinRequest join) {
        assertTrue(Mic.matchesJoinRequest(join, APP_KEY));
        JoinAccept signed = Mic.signJoinAccept(new JoinAccept(1, NetId.fromHex("000013"), JOINED,
            new DlSettings(0, 0), 1, Optional.empty(), 0), APP_KEY);
        joinedKeys = KeyDerivation.derive(APP_KEY, 1, NetId.fromHex("000013"), join.devNonce());
        down = JoinAcceptCipher.encrypt(signed, APP_KEY).encode();
      } else if (phy instanceof DataFrame f && f.mType() == MType.CONFIRMED_DATA_UP) {
        SessionKeys keys = f.fhdr().devAddr().equals(JOINED) ? joinedKeys : new SessionKeys(NWK, APP);
        long fCnt = downCount++;
        DataFrame reply = new DataFrame(MType.CONFIRMED_DATA_DOWN, new Fhdr(f.fhdr().devAddr(),
            FCtrl.downlink(false, true, false), (int) fCnt, Bytes.EMPTY), OptionalInt.of(2), Bytes.fromHex("0a0b"), 0);
        down = Mic.signData(FrmCipher.encrypt(reply, keys, fCnt), keys.nwkSKey(), fCnt).encode();
      }
      if (down != null) {
        JsonObject txpk = new JsonObject().put("imme", false).put("tmst", 1_000_000).put("freq", 868.1)
            .put("rfch", 0).put("powe", 14).put("modu", "LORA").put("datr", "SF7BW125").put("codr", "4/5")
            .put("ipol", true).put("size", down.length).put("data", Base64.getEncoder().encodeToString(down));
        reply(pullAddress.get(gateway), (byte) 0x12, (byte) 0x34, 0x03, new JsonObject().put("txpk", txpk));
      }
    }

    private void reply(SocketAddress to, byte t1, byte t2, int identifier, JsonObject body) throws Exception {
      byte[] json = body == null ? new byte[0] : body.encode().getBytes(StandardCharsets.UTF_8);
      byte[] d = new byte[4 + json.length];
      d[0] = 2;
      d[1] = t1;
      d[2] = t2;
      d[3] = (byte) identifier;
      System.arraycopy(json, 0, d, 4, json.length);
      socket.send(new DatagramPacket(d, d.length, to));
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /**
   * One uplink per device per second: the fake server answers at once, so each downlink is read long before the
   * device's next uplink, whose ACK bit it sets.
   */
  @Test
  void gatewaysAndDevicesOverRealUdpJoinAcknowledgeAndCount(@TempDir Path dir) throws Exception {
    Path abp = dir.resolve("abp.txt");
    Files.writeString(abp, "0102030405060708 26011bda " + NWK.hex() + " " + APP.hex() + "\n");
    Path otaa = dir.resolve("otaa.txt");
    Files.writeString(otaa, "0102030405060709 70b3d57ed0000000 " + APP_KEY.hex() + "\n");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Counters c;
    try (FakeServer server = new FakeServer()) {
      SimOptions o = SimOptions.parse("--port", Integer.toString(server.port()), "--gateways", "3",
          "--heard-by", "2", "--abp", abp.toString(), "--otaa", otaa.toString(), "--rate", "1", "--count", "4",
          "--confirmed", "1", "--drain", "2", "--progress", "1");
      c = Main.run(o, Devices.of(o), new PrintStream(printed, true, StandardCharsets.UTF_8));
      synchronized (server) {
        // every frame heard by two different gateways, each with its own RSSI
        Map<String, List<Copy>> byFrame = new HashMap<>();
        for (Copy copy : server.copies) {
          byFrame.computeIfAbsent(HexFormat.of().formatHex(copy.phy()), k -> new ArrayList<>()).add(copy);
        }
        for (List<Copy> copies : byFrame.values()) {
          assertEquals(2, copies.size());
          assertFalse(copies.get(0).gateway().equals(copies.get(1).gateway()));
          assertFalse(copies.get(0).rssi() == copies.get(1).rssi());
        }
        // the ABP device: FCnt 0..3 in order; every uplink after a confirmed downlink carries the ACK bit
        List<DataFrame> abpFrames = new ArrayList<>();
        List<DataFrame> joinedFrames = new ArrayList<>();
        int joins = 0;
        for (String hex : byFrame.keySet().stream().sorted().toList()) {
          PhyPayload p = PhyPayload.decode(HexFormat.of().parseHex(hex));
          if (p instanceof JoinRequest) {
            joins++;
          } else if (p instanceof DataFrame f) {
            (f.fhdr().devAddr().equals(JOINED) ? joinedFrames : abpFrames).add(f);
          }
        }
        abpFrames.sort((a, b) -> Integer.compare(a.fhdr().fCnt(), b.fhdr().fCnt()));
        assertEquals(List.of(0, 1, 2, 3), abpFrames.stream().map(f -> f.fhdr().fCnt()).toList());
        for (DataFrame f : abpFrames) {
          assertTrue(Mic.matchesData(f, NWK, f.fhdr().fCnt()));
          assertEquals("0167011a", FrmCipher.decrypt(f, new SessionKeys(NWK, APP), f.fhdr().fCnt()).hex());
          assertEquals(f.fhdr().fCnt() > 0, f.fhdr().fCtrl().ack(), "ACK after the confirmed downlink: FCnt "
              + f.fhdr().fCnt() + " " + c.line());
        }
        // the OTAA device joined once, then sent its uplinks with the derived keys
        assertEquals(1, joins);
        assertEquals(4, joinedFrames.size());
        for (DataFrame f : joinedFrames) {
          assertTrue(Mic.matchesData(f, server.joinedKeys.nwkSKey(), f.fhdr().fCnt()));
        }
        assertEquals(1 + 8, server.txAcks, "a TX_ACK per PULL_RESP: the join accept and eight downlinks");
      }
    }
    assertEquals(8, c.uplinks.sum());
    assertEquals(8, c.confirmedUplinks.sum());
    assertEquals(8, c.acksReceived.sum());
    assertEquals(8, c.downlinks.sum());
    assertEquals(1, c.joinsSent.sum());
    assertEquals(1, c.joinsAccepted.sum());
    assertEquals(0, c.errors.sum());
    assertEquals(2L * (8 + 1), c.pushAcks.sum(), "each copy's PUSH_DATA acknowledged");
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("summary: uplinks sent 8, accepted n/a"), out);
    assertTrue(out.contains("joins accepted 1 of 1 sent, confirmed uplinks 8 (acked 8), downlinks received 8, "
        + "errors 0"), out);
  }
}
