package io.gridline.sim.lorawan;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code java -jar gridline-sim-lorawan.jar [options]}: see {@link SimOptions#USAGE}. Exit 0, or 2 on bad options. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    SimOptions options;
    List<SimDevice> devices;
    try {
      options = SimOptions.parse(args);
      if (options.help) {
        System.out.print(SimOptions.USAGE);
        return;
      }
      devices = Devices.of(options);
    } catch (IllegalArgumentException e) {
      System.err.println("gridline-sim-lorawan: " + e.getMessage());
      System.err.print(SimOptions.USAGE);
      System.exit(2);
      return;
    }
    run(options, devices, System.out);
  }

  /** One run, its summary line printed last; returns the counters (tests read them). */
  static Counters run(SimOptions options, List<SimDevice> devices, PrintStream out) throws Exception {
    out.printf(Locale.ROOT, "gridline-sim-lorawan: %d devices (%d OTAA), %d gateways (each uplink heard by %d), "
            + "%s:%d%n", devices.size(), devices.stream().filter(d -> d.otaa).count(), options.gateways,
        options.heardBy(), options.host, options.port);
    Instant started = Instant.now();
    Simulator sim = new Simulator(options, devices, out);
    double seconds = sim.run();
    Counters c = sim.counters;
    String accepted = options.api == null ? "n/a (--api and --api-key count them)"
        : Long.toString(KeptFrames.count(options.api, options.apiKey, devices, started));
    out.printf(Locale.ROOT, "summary: uplinks sent %d, accepted %s, datagrams %d (push-acked %d), joins accepted "
            + "%d of %d sent, confirmed uplinks %d (acked %d), downlinks received %d, errors %d, in %.1f s%n",
        c.uplinks.sum(), accepted, c.datagrams.sum(), c.pushAcks.sum(), c.joinsAccepted.sum(), c.joinsSent.sum(),
        c.confirmedUplinks.sum(), c.acksReceived.sum(), c.downlinks.sum(), c.errors.sum(), seconds);
    return c;
  }
}
