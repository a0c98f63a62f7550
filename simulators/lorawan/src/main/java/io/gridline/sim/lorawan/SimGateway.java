package io.gridline.sim.lorawan;

import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.Eui64;
import io.gridline.lrwn.region.DataRate;
import io.gridline.lrwn.semtechudp.CrcStatus;
import io.gridline.lrwn.semtechudp.PullData;
import io.gridline.lrwn.semtechudp.PullResp;
import io.gridline.lrwn.semtechudp.PushAck;
import io.gridline.lrwn.semtechudp.PullAck;
import io.gridline.lrwn.semtechudp.PushData;
import io.gridline.lrwn.semtechudp.RxPacket;
import io.gridline.lrwn.semtechudp.SemtechPacket;
import io.gridline.lrwn.semtechudp.SemtechPacketException;
import io.gridline.lrwn.semtechudp.TxAck;
import io.gridline.lrwn.semtechudp.TxAckError;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One packet forwarder: its own UDP socket to the network server, speaking the Semtech protocol v2 — PULL_DATA at
 * start and every 10 s (the downlink path), PUSH_DATA with one {@code rxpk} per uplink it hears, TX_ACK for every
 * PULL_RESP, whose PHYPayload goes to the devices. A receiver thread reads what the server sends.
 */
final class SimGateway implements AutoCloseable {
  static final long KEEPALIVE_MS = 10_000;
  final Eui64 eui;
  private final DatagramSocket socket;
  private final Counters counters;
  private final Consumer<byte[]> downlinks;
  private final Thread receiver;
  private final long clockOffsetUs = ThreadLocalRandom.current().nextLong(0x1_0000_0000L);
  private volatile boolean closed;
  private long lastPullMs;

  SimGateway(Eui64 eui, InetSocketAddress server, Counters counters, Consumer<byte[]> downlinks)
      throws SocketException {
    this.eui = eui;
    this.counters = counters;
    this.downlinks = downlinks;
    socket = new DatagramSocket();
    socket.connect(server);
    receiver = new Thread(this::receive, "gateway-" + eui.hex());
    receiver.setDaemon(true);
    receiver.start();
  }

  /** The concentrator's microsecond counter (32 bits, wraps; each gateway starts at its own random value). */
  long tmst() {
    return (System.nanoTime() / 1_000 + clockOffsetUs) & 0xFFFF_FFFFL;
  }

  /** PULL_DATA when the last one is older than the keepalive. */
  synchronized void keepAlive(long nowMs) throws IOException {
    if (lastPullMs == 0 || nowMs - lastPullMs >= KEEPALIVE_MS) {
      lastPullMs = nowMs;
      send(new PullData(2, token(), eui).encode());
    }
  }

  /** PUSH_DATA carrying the PHYPayload as this gateway heard it. */
  void push(byte[] phy, long frequencyHz, DataRate dataRate, int rssi, double snr) throws IOException {
    RxPacket rx = new RxPacket(tmst(), Optional.empty(), OptionalLong.empty(), frequencyHz, 0, 0, CrcStatus.OK,
        dataRate, Optional.of("4/5"), rssi, OptionalDouble.of(snr), List.of(), Bytes.of(phy));
    send(new PushData(2, token(), eui, List.of(rx), List.of(), Optional.empty()).encode());
  }

  private void send(byte[] datagram) throws IOException {
    socket.send(new DatagramPacket(datagram, datagram.length));
    counters.datagrams.increment();
  }

  private static int token() {
    return ThreadLocalRandom.current().nextInt(0x10000);
  }

  private void receive() {
    byte[] buf = new byte[65_535];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (IOException e) {
        if (!closed) {
          counters.errors.increment();
        }
        continue;
      }
      try {
        SemtechPacket packet = SemtechPacket.decode(Arrays.copyOf(p.getData(), p.getLength()));
        if (packet instanceof PushAck) {
          counters.pushAcks.increment();
        } else if (packet instanceof PullAck) {
          counters.pullAcks.increment();
        } else if (packet instanceof PullResp resp) {
          send(new TxAck(2, resp.token(), eui, TxAckError.NONE, Optional.empty()).encode());
          downlinks.accept(resp.txpk().data().toArray());
        }
      } catch (SemtechPacketException | IOException | RuntimeException e) {
        counters.errors.increment();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
    try {
      receiver.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
