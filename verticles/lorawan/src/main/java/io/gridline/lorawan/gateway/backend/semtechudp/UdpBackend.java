package io.gridline.lorawan.gateway.backend.semtechudp;

import io.gridline.lorawan.LorawanMeters;
import io.gridline.lorawan.gateway.DownlinkFrame;
import io.gridline.lorawan.gateway.GatewayBackend;
import io.gridline.lorawan.gateway.GatewayEvents;
import io.gridline.lorawan.gateway.RxInfo;
import io.gridline.lorawan.gateway.UplinkFrame;
import io.gridline.lorawan.storage.GatewayStore;
import io.gridline.lrwn.semtechudp.GatewayStats;
import io.gridline.lrwn.semtechudp.PullData;
import io.gridline.lrwn.semtechudp.PullResp;
import io.gridline.lrwn.semtechudp.PushData;
import io.gridline.lrwn.semtechudp.RxPacket;
import io.gridline.lrwn.semtechudp.SemtechPacket;
import io.gridline.lrwn.semtechudp.SemtechPacketException;
import io.gridline.lrwn.semtechudp.TxAck;
import io.gridline.lrwn.semtechudp.TxAckError;
import io.gridline.runtime.LogThrottle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Semtech UDP packet-forwarder protocol (v1 and v2) on {@code lorawan.udp-port}: PUSH_DATA → PUSH_ACK and its
 * {@code rxpk}s up, {@code stat} to the gateway's row; PULL_DATA → PULL_ACK and the gateway's return address (and
 * this node as its owner); PULL_RESP down; TX_ACK back to the downlink. A datagram the codec refuses, or from a
 * gateway that is not registered (unless {@code lorawan.accept-unknown-gateways}), is counted and dropped.
 */
public final class UdpBackend implements GatewayBackend {
  private static final Logger log = LoggerFactory.getLogger(UdpBackend.class);
  /** TX_ACK tokens remembered per node; older ones are forgotten (their TX_ACK is then only counted). */
  private static final int MAX_PENDING_TOKENS = 65_536;

  /** Where a gateway's PULL_DATA came from, and the protocol version it speaks. */
  private record Route(SocketAddress address, int version) {}

  /** A PULL_RESP sent, awaiting its TX_ACK. */
  private record Pending(String gatewayId, String downlinkId) {}

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final int receiveBufferBytes;
  private final boolean acceptUnknown;
  private final GatewayStore gateways;
  private final GatewayEvents events;
  private final Consumer<String> pulled;
  private final LorawanMeters meters;
  private final LogThrottle throttle = new LogThrottle(log, 5);
  private final Map<String, Route> routes = new HashMap<>();
  private final Map<Integer, Pending> pending = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, Pending> eldest) {
      return size() > MAX_PENDING_TOKENS;
    }
  };
  private DatagramSocket socket;
  /** How often the kernel's drop count of the socket is read from /proc. */
  private static final long DROPS_READ_MS = 5_000;
  private final AtomicReference<OptionalLong> kernelDrops = new AtomicReference<>(OptionalLong.empty());
  private long dropsTimer = -1;

  /**
   * @param pulled called with a gateway id whenever its PULL_DATA arrives (the owner record in Redis is refreshed)
   */
  public UdpBackend(Vertx vertx, String host, int port, int receiveBufferBytes, boolean acceptUnknown,
      GatewayStore gateways, GatewayEvents events, Consumer<String> pulled, LorawanMeters meters) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.receiveBufferBytes = receiveBufferBytes;
    this.acceptUnknown = acceptUnknown;
    this.gateways = gateways;
    this.events = events;
    this.pulled = pulled;
    this.meters = meters;
  }

  @Override
  public Future<Void> start() {
    // a burst of datagrams while the event loop is busy waits in the kernel's buffer; beyond it the kernel drops
    // them unseen (RcvbufErrors in /proc/net/snmp), so the buffer is sized for bursts, not the default ~200 KB
    socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(receiveBufferBytes));
    socket.handler(this::onDatagram);
    socket.exceptionHandler(err -> log.warn("Semtech UDP socket: {}", err.toString()));
    return socket.listen(port, host).onSuccess(s -> {
      log.info("Semtech UDP packet forwarders on {}:{}", host, s.localAddress().port());
      int bound = s.localAddress().port();
      meters.kernelDrops(bound, kernelDrops::get);
      // /proc is read off the event loop every few seconds; the gauge only reads the last figure
      dropsTimer = vertx.setPeriodic(0, DROPS_READ_MS, id -> vertx.executeBlocking(() -> KernelDrops.read(bound))
          .onSuccess(kernelDrops::set));
    }).mapEmpty();
  }

  /** The bound port (for tests and the log when 0 was asked). */
  public int port() {
    return socket.localAddress().port();
  }

  private void onDatagram(DatagramPacket packet) {
    byte[] datagram = packet.data().getBytes();
    SemtechPacket decoded;
    try {
      decoded = SemtechPacket.decode(datagram);
    } catch (SemtechPacketException e) {
      meters.datagramRefused(e.label());
      throttle.info("Semtech UDP datagram from {} refused ({}): {}", packet.sender(), e.label(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      meters.datagramRefused("internal");
      log.warn("Semtech UDP datagram from {} could not be read", packet.sender(), e);
      return;
    }
    if (decoded instanceof PushData push) {
      onPushData(push, packet.sender());
    } else if (decoded instanceof PullData pull) {
      onPullData(pull, packet.sender());
    } else if (decoded instanceof TxAck ack) {
      onTxAck(ack);
    } else {
      meters.datagramRefused("unexpected-identifier"); // PUSH_ACK, PULL_ACK, PULL_RESP: server → gateway
    }
  }

  private void onPushData(PushData push, SocketAddress sender) {
    String gatewayId = push.gateway().hex();
    checkGateway(gatewayId).onSuccess(known -> {
      if (!known) {
        meters.datagramRefused("unknown-gateway");
        return;
      }
      meters.datagram("push-data");
      socket.send(Buffer.buffer(push.ack().encode()), sender.port(), sender.host());
      long now = System.currentTimeMillis();
      push.crcFailed().forEach(rx -> meters.rxpkDropped("crc-failed"));
      for (RxPacket rx : push.rxpk()) {
        if (rx.dataRate().modulation() != io.gridline.lrwn.region.DataRate.Modulation.LORA) {
          meters.rxpkDropped("not-lora");
          continue;
        }
        RxInfo info = new RxInfo(gatewayId, rx.rssi(), rx.lsnr().orElse(0), rx.tmst(), rx.frequencyHz(),
            rx.dataRate().loraDatr(), rx.chan(), "", now);
        events.uplink(new UplinkFrame(rx.data().toArray(), info));
      }
      JsonObject stats = push.stat().map(UdpBackend::statsJson).orElse(null);
      gateways.seen(gatewayId, stats)
          .onFailure(err -> throttle.warn("could not record gateway {} as seen: {}", gatewayId, err.getMessage()));
    });
  }

  private void onPullData(PullData pull, SocketAddress sender) {
    String gatewayId = pull.gateway().hex();
    checkGateway(gatewayId).onSuccess(known -> {
      if (!known) {
        meters.datagramRefused("unknown-gateway");
        return;
      }
      meters.datagram("pull-data");
      socket.send(Buffer.buffer(pull.ack().encode()), sender.port(), sender.host());
      routes.put(gatewayId, new Route(sender, pull.version()));
      pulled.accept(gatewayId);
    });
  }

  private void onTxAck(TxAck ack) {
    meters.datagram("tx-ack");
    Pending p = pending.remove(ack.token());
    meters.txAck(ack.error().name().toLowerCase(java.util.Locale.ROOT));
    if (p != null && p.gatewayId().equals(ack.gateway().hex())) {
      events.txAck(p.gatewayId(), p.downlinkId(),
          ack.error() == TxAckError.NONE ? Optional.empty() : Optional.of(ack.error().name()));
    }
  }

  private Future<Boolean> checkGateway(String gatewayId) {
    return acceptUnknown ? Future.succeededFuture(true) : gateways.isRegistered(gatewayId);
  }

  @Override
  public boolean holds(String gatewayId) {
    return routes.containsKey(gatewayId);
  }

  @Override
  public Future<Void> send(DownlinkFrame frame) {
    Route route = routes.get(frame.gatewayId());
    if (route == null) {
      return Future.failedFuture("gateway " + frame.gatewayId() + " has sent no PULL_DATA to this node");
    }
    int token = ThreadLocalRandom.current().nextInt(0x10000);
    pending.put(token, new Pending(frame.gatewayId(), frame.downlinkId()));
    byte[] datagram = new PullResp(route.version(), token, frame.txpk()).encode();
    meters.datagram("pull-resp");
    return socket.send(Buffer.buffer(datagram), route.address().port(), route.address().host());
  }

  /** The gateway {@code stat} as kept in {@code lorawan_gateways.stats}. */
  static JsonObject statsJson(GatewayStats s) {
    JsonObject j = new JsonObject();
    s.time().ifPresent(v -> j.put("time", v));
    s.latitude().ifPresent(v -> j.put("latitude", v));
    s.longitude().ifPresent(v -> j.put("longitude", v));
    s.altitude().ifPresent(v -> j.put("altitude", v));
    s.rxnb().ifPresent(v -> j.put("rxReceived", v));
    s.rxok().ifPresent(v -> j.put("rxReceivedOk", v));
    s.rxfw().ifPresent(v -> j.put("rxForwarded", v));
    s.ackr().ifPresent(v -> j.put("ackRatio", v));
    s.dwnb().ifPresent(v -> j.put("txReceived", v));
    s.txnb().ifPresent(v -> j.put("txEmitted", v));
    s.temperature().ifPresent(v -> j.put("temperature", v));
    return j;
  }

  @Override
  public Future<Void> stop() {
    if (dropsTimer >= 0) {
      vertx.cancelTimer(dropsTimer);
    }
    return socket == null ? Future.succeededFuture() : socket.close();
  }
}
