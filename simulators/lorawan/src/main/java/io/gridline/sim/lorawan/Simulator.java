package io.gridline.sim.lorawan;

import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.Direction;
import io.gridline.lrwn.frame.EncryptedJoinAccept;
import io.gridline.lrwn.frame.Eui64;
import io.gridline.lrwn.frame.FrameException;
import io.gridline.lrwn.frame.PhyPayload;
import io.gridline.lrwn.region.DataRate;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the devices through the gateways: each device sends at its rate (a random phase, then every 1/rate s), OTAA
 * devices join first; every uplink is heard by {@code --heard-by} gateways (from the device's own first gateway on,
 * so devices spread over them) with RSSI and SNR that differ per gateway and device; downlinks come back through the
 * gateways' receiver threads. A progress line every {@code --progress} s.
 */
final class Simulator {
  private final SimOptions options;
  private final List<SimDevice> devices;
  private final PrintStream out;
  final Counters counters = new Counters();
  private final Map<DevAddr, List<SimDevice>> byAddr = new ConcurrentHashMap<>();
  private final Random random = new Random();

  Simulator(SimOptions options, List<SimDevice> devices, PrintStream out) {
    this.options = options;
    this.devices = devices;
    this.out = out;
    for (SimDevice d : devices) {
      d.devAddr().ifPresent(a -> index(a, d));
    }
  }

  private record Slot(int device, long atNanos) {}

  /** Sends until the duration or every device's count is done, waits --drain s for downlinks; the wall seconds. */
  double run() throws IOException, InterruptedException {
    InetSocketAddress server = new InetSocketAddress(options.host, options.port);
    List<SimGateway> gateways = new ArrayList<>();
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < options.gateways; i++) {
        gateways.add(new SimGateway(new Eui64(options.firstGateway.value() + i), server, counters, this::onDownlink));
      }
      long periodMs = Math.round(options.progressSeconds * 1000);
      progress.scheduleAtFixedRate(() -> out.printf(Locale.ROOT, "[%5.0fs] %s%n", (System.nanoTime() - t0) / 1e9,
          counters.line()), periodMs, periodMs, TimeUnit.MILLISECONDS);
      send(gateways, t0);
      Thread.sleep(Math.round(options.drainSeconds * 1000));
    } finally {
      progress.shutdownNow();
      gateways.forEach(SimGateway::close);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private void send(List<SimGateway> gateways, long t0) throws IOException, InterruptedException {
    Double seconds = options.sendSeconds();
    long end = seconds == null ? Long.MAX_VALUE : t0 + Math.round(seconds * 1e9);
    long interval = Math.round(1e9 / options.rate);
    DataRate dataRate = DataRate.parseLora(options.datr).orElseThrow();
    long joinTimeoutMs = Math.round(options.joinTimeoutSeconds * 1000);
    PriorityQueue<Slot> slots = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
    for (int i = 0; i < devices.size(); i++) {
      slots.add(new Slot(i, t0 + (long) (random.nextDouble() * interval)));
    }
    for (SimGateway g : gateways) {
      g.keepAlive(System.currentTimeMillis());
    }
    Thread.sleep(100); // the server learns the downlink paths before the first uplink
    while (!slots.isEmpty()) {
      Slot slot = slots.poll();
      if (slot.atNanos() >= end) {
        break;
      }
      long wait = slot.atNanos() - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      long nowMs = System.currentTimeMillis();
      for (SimGateway g : gateways) {
        g.keepAlive(nowMs);
      }
      SimDevice d = devices.get(slot.device());
      byte[] phy;
      if (d.otaa && !d.joined()) {
        phy = d.joinRequest(nowMs, joinTimeoutMs).orElse(null);
        if (phy != null) {
          counters.joinsSent.increment();
        }
      } else {
        boolean confirmed = options.confirmed > 0 && random.nextDouble() < options.confirmed;
        phy = d.dataUplink(options.fPort, options.payload, confirmed);
        counters.uplinks.increment();
        if (confirmed) {
          counters.confirmedUplinks.increment();
        }
      }
      if (phy != null) {
        air(slot.device(), phy, gateways, dataRate);
      }
      if (options.count == null || d.dataSent() < options.count) {
        slots.add(new Slot(slot.device(), slot.atNanos() + interval));
      }
    }
  }

  /** The frame as {@code --heard-by} gateways hear it, each a little differently. */
  private void air(int device, byte[] phy, List<SimGateway> gateways, DataRate dataRate) throws IOException {
    int n = gateways.size();
    for (int k = 0; k < options.heardBy(); k++) {
      int g = (device + k) % n;
      int rssi = -40 - (device * 7 + g * 13) % 80 - random.nextInt(3);
      double snr = Math.max(-20, Math.min(13.5, 10 - (device * 3 + g * 5) % 20 + random.nextInt(5) * 0.25));
      gateways.get(g).push(phy, options.frequencyHz, dataRate, rssi, snr);
    }
  }

  /** A PULL_RESP's PHYPayload: a JoinAccept for a device waiting for one, or a data downlink by DevAddr. */
  private void onDownlink(byte[] phy) {
    PhyPayload payload;
    try {
      payload = PhyPayload.decode(phy);
    } catch (FrameException e) {
      counters.errors.increment();
      return;
    }
    if (payload instanceof EncryptedJoinAccept accept) {
      for (SimDevice d : devices) {
        if (d.otaa && d.onJoinAccept(accept)) {
          counters.joinsAccepted.increment();
          index(d.devAddr().orElseThrow(), d);
          return;
        }
      }
      counters.errors.increment(); // nobody's: not for a device of this run, or its MIC does not check
    } else if (payload instanceof DataFrame frame && frame.direction() == Direction.DOWNLINK) {
      for (SimDevice d : byAddr.getOrDefault(frame.fhdr().devAddr(), List.of())) {
        SimDevice.Downlink outcome = d.onDownlink(frame);
        if (outcome != SimDevice.Downlink.REFUSED) {
          counters.downlinks.increment();
          if (outcome == SimDevice.Downlink.ACK_FOR_US) {
            counters.acksReceived.increment();
          }
          return;
        }
      }
      counters.errors.increment();
    } else {
      counters.errors.increment();
    }
  }

  private void index(DevAddr addr, SimDevice d) {
    byAddr.computeIfAbsent(addr, a -> new CopyOnWriteArrayList<>()).add(d);
  }
}
