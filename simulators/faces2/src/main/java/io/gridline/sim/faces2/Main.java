package io.gridline.sim.faces2;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttToken;

/**
 * The CLI: {@code parseOptions → createControllers → connectAll → publishUntilDone → closeAll → summarize}. Exit code
 * 0 when every device connected and something was acknowledged, 1 otherwise, 2 for a bad command line.
 */
public final class Main {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  private static final long DRAIN_MILLIS = 10_000;

  private final SimOptions options;
  private final PrintStream out;
  private final PrintStream err;
  private final Progress progress = new Progress();
  private final List<Controller> controllers = new ArrayList<>();

  private Main(SimOptions options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    SimOptions options;
    try {
      options = SimOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.print(SimOptions.USAGE);
      return USAGE;
    }
    if (options.help) {
      out.print(SimOptions.USAGE);
      return OK;
    }
    try {
      return new Main(options, out, err).simulate();
    } catch (Exception e) {
      err.println("error: " + Controller.describe(e));
      return FAILED;
    }
  }

  private int simulate() throws Exception {
    createControllers();
    int connected = connectAll();
    if (connected == 0) {
      err.println("error: no device connected; nothing was published");
      return FAILED;
    }
    out.println(String.format(Locale.ROOT, "publishing: %d device(s) from %s, %s msg/s each, QoS %d, modes %s,"
            + " %d sensor(s), to %s", connected, options.firstMac,
        BigDecimal.valueOf(options.rate).stripTrailingZeros().toPlainString(), options.qos, options.modes,
        options.sensors, options.serverUri()));
    progress.start();
    publishUntilDone();
    closeAll();
    out.println(progress.summary());
    return exitCode(connected);
  }

  private void createControllers() throws Exception {
    for (int i = 0; i < options.devices; i++) {
      controllers.add(new Controller(options.mac(i), options, progress));
    }
  }

  private int connectAll() throws Exception {
    DeviceSecrets secrets = DeviceSecrets.load(options.secretsFile, options.secret);
    SSLSocketFactory tls = options.tls ? TlsSockets.create(options.ca, options.cert, options.key) : null;
    List<IMqttToken> tokens = new ArrayList<>();
    for (Controller c : controllers) {
      tokens.add(c.connect(secrets.secretOf(c.mac()), tls));
    }
    int connected = 0;
    for (int i = 0; i < controllers.size(); i++) {
      String failure = controllers.get(i).awaitConnected(tokens.get(i));
      if (failure == null) {
        connected++;
      } else {
        err.println(controllers.get(i).mac().clientId() + ": " + failure);
      }
    }
    return connected;
  }

  private void publishUntilDone() throws InterruptedException {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "faces2-sim");
      t.setDaemon(true);
      return t;
    });
    long tickMicros = (long) Math.max(1_000, Math.min(50_000, 1e6 / options.rate));
    timer.scheduleAtFixedRate(this::tickAll, 0, tickMicros, TimeUnit.MICROSECONDS);
    long progressMillis = (long) (options.progressSeconds * 1000);
    timer.scheduleAtFixedRate(() -> progress.printLine(out), progressMillis, progressMillis, TimeUnit.MILLISECONDS);
    double duration = options.durationSeconds();
    long deadline = Double.isInfinite(duration) ? Long.MAX_VALUE : System.nanoTime() + (long) (duration * 1e9);
    while (System.nanoTime() < deadline && !controllers.stream().allMatch(Controller::finished)) {
      Thread.sleep(20);
    }
    timer.shutdownNow();
    timer.awaitTermination(1, TimeUnit.SECONDS);
  }

  private void tickAll() {
    long now = System.nanoTime();
    for (Controller c : controllers) {
      c.tick(now);
    }
  }

  private void closeAll() throws InterruptedException {
    List<Thread> closing = new ArrayList<>();
    for (Controller c : controllers) {
      Thread t = new Thread(() -> c.close(DRAIN_MILLIS), "close-" + c.mac().clientId());
      t.start();
      closing.add(t);
    }
    for (Thread t : closing) {
      t.join();
    }
  }

  private int exitCode(int connected) {
    if (progress.ackedCount() == 0) {
      err.println("error: nothing was acknowledged");
      return FAILED;
    }
    long lost = controllers.stream().filter(c -> c.failure() != null).count();
    if (connected < controllers.size() || lost > 0) {
      err.println("error: " + lost + " of " + controllers.size() + " device(s) failed (see above)");
      return FAILED;
    }
    return OK;
  }
}
