package io.gridline.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A packet forwarder speaking the Semtech UDP protocol (v2) over a real socket, written from the protocol's text (not
 * with the codec under test): PUSH_DATA with an {@code rxpk}, PULL_DATA, TX_ACK, and what the server sends back.
 */
public final class TestGateway implements AutoCloseable {
  public final String eui;
  private final DatagramSocket socket;
  private final InetAddress server = InetAddress.getLoopbackAddress();
  private int port;
  private long tmst = 1_000_000;

  public TestGateway(String eui, int serverPort) throws IOException {
    this.eui = eui;
    this.port = serverPort;
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    socket.setSoTimeout(8_000);
  }

  /**
   * A datagram received: its identifier (1 PUSH_ACK, 3 PULL_RESP, 4 PULL_ACK), token, JSON (PULL_RESP) and the
   * server port it came from.
   */
  public record Received(int identifier, int token, JsonObject json, int fromPort) {
    public byte[] txData() {
      return Base64.getDecoder().decode(json.getJsonObject("txpk").getString("data"));
    }
  }

  public int push(byte[] phy, int rssi, double snr) throws IOException {
    tmst += 10_000_000;
    JsonObject rx = new JsonObject().put("tmst", tmst).put("chan", 0).put("rfch", 0).put("freq", 868.1)
        .put("stat", 1).put("modu", "LORA").put("datr", "SF7BW125").put("codr", "4/5").put("rssi", rssi)
        .put("lsnr", snr).put("size", phy.length).put("data", Base64.getEncoder().encodeToString(phy));
    return send(0x00, new JsonObject().put("rxpk", new JsonArray().add(rx)));
  }

  /** Sends what follows to another server port (a second node: forwarders behind a load balancer). */
  public void useServer(int serverPort) {
    this.port = serverPort;
  }

  public long lastTmst() {
    return tmst;
  }

  /**
   * Sends a PUSH_DATA without packets until the server acknowledges one: a server drops the datagrams of a gateway it
   * does not know yet (registered a moment ago), so a test waits for this before its first frame. No uplink, and the
   * gateway's downlink path is left as it was.
   */
  public void awaitKnown(int timeoutMs) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      int token = send(0x00, new JsonObject().put("rxpk", new JsonArray()));
      Received r = receive(300);
      while (r != null && !(r.identifier() == 0x01 && r.token() == token)) {
        r = receive(300);
      }
      if (r != null) {
        return;
      }
    }
    throw new IOException("gateway " + eui + " not acknowledged by the server on port " + port + " in " + timeoutMs
        + " ms");
  }

  public int pull() throws IOException {
    return send(0x02, null);
  }

  public void txAck(int token, String error) throws IOException {
    byte[] head = header(token, 0x05);
    byte[] body = error == null ? new byte[0]
        : new JsonObject().put("txpk_ack", new JsonObject().put("error", error)).encode()
            .getBytes(StandardCharsets.UTF_8);
    byte[] d = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, d, head.length, body.length);
    raw(d);
  }

  public void raw(byte[] datagram) throws IOException {
    socket.send(new DatagramPacket(datagram, datagram.length, server, port));
  }

  private int send(int identifier, JsonObject body) throws IOException {
    int token = ThreadLocalRandom.current().nextInt(0x10000);
    byte[] head = header(token, identifier);
    byte[] json = body == null ? new byte[0] : body.encode().getBytes(StandardCharsets.UTF_8);
    byte[] d = Arrays.copyOf(head, head.length + json.length);
    System.arraycopy(json, 0, d, head.length, json.length);
    raw(d);
    return token;
  }

  private byte[] header(int token, int identifier) {
    byte[] h = new byte[12];
    h[0] = 2;
    h[1] = (byte) (token >> 8);
    h[2] = (byte) token;
    h[3] = (byte) identifier;
    System.arraycopy(HexFormat.of().parseHex(eui), 0, h, 4, 8);
    return identifier == 0x03 || identifier == 0x01 || identifier == 0x04 ? Arrays.copyOf(h, 4) : h;
  }

  /** The next datagram from the server, or null after the timeout. */
  public Received receive(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    byte[] buf = new byte[65_535];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    byte[] d = Arrays.copyOf(p.getData(), p.getLength());
    int token = ((d[1] & 0xFF) << 8) | (d[2] & 0xFF);
    JsonObject json = d.length > 4 ? new JsonObject(new String(d, 4, d.length - 4, StandardCharsets.UTF_8)) : null;
    return new Received(d[3] & 0xFF, token, json, p.getPort());
  }

  /** Skips ACKs until a PULL_RESP arrives (or null after the timeout). */
  public Received pullResp(int timeoutMs) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      Received r = receive((int) Math.max(1, deadline - System.currentTimeMillis()));
      if (r == null) {
        return null;
      }
      if (r.identifier() == 0x03) {
        return r;
      }
    }
    return null;
  }

  @Override
  public void close() {
    socket.close();
  }
}
