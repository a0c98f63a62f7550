package io.gridline.sim.faces2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line. Parsing fails with an {@link IllegalArgumentException} whose message names the bad option. */
public final class SimOptions {
  public static final String USAGE = """
      Usage: java -jar gridline-sim-faces2.jar [options]
        --host H            MQTT server (127.0.0.1)
        --port P            MQTT port (1884, the dev profile; 8884 with --tls)
        --devices N         number of controllers (4)
        --first-mac M       first controller's MAC; the others count up (aa:bb:cc:dd:ee:01)
        --rate R            publishes per second per device, fractions allowed (1)
        --qos 0|1|2         MQTT QoS (1)
        --duration S        seconds to publish (10, unless --count is given)
        --count C           publishes per device, then stop
        --modes 1,2         sensor modes to publish: 1 environment, 2 power (1,2)
        --sensors K         sensors per mode, sensor-1..sensor-K (1)
        --secret S          device secret for every device (password; username = client id)
        --secrets-file F    one "mac secret" per line; '#' starts a comment
        --tls               connect with TLS
        --ca F              PEM CA certificate(s) to trust (default: the JVM's trust store)
        --cert F --key F    PEM client certificate and PKCS#8 or PKCS#1 RSA key (mTLS; CN = client id)
        --max-inflight N    unacknowledged publishes per device (10)
        --progress S        seconds between progress lines (5)
        --help              this text
      """;

  String host = "127.0.0.1";
  Integer port;
  int devices = 4;
  DeviceMac firstMac = DeviceMac.parse("aa:bb:cc:dd:ee:01");
  double rate = 1;
  int qos = 1;
  Double durationSeconds;
  Long count;
  List<Integer> modes = List.of(1, 2);
  int sensors = 1;
  String secret;
  Path secretsFile;
  boolean tls;
  Path ca;
  Path cert;
  Path key;
  int maxInflight = 10;
  double progressSeconds = 5;
  boolean help;

  public static SimOptions parse(String... args) {
    SimOptions o = new SimOptions();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      switch (name) {
        case "--help", "-h" -> o.help = true;
        case "--tls" -> o.tls = true;
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(name.startsWith("--") ? name + " needs a value" : "unknown argument " + name);
          }
          o.set(name, args[++i]);
        }
      }
    }
    o.validate();
    return o;
  }

  private void set(String name, String value) {
    switch (name) {
      case "--host" -> host = value;
      case "--port" -> port = intIn(name, value, 1, 65535);
      case "--devices" -> devices = intIn(name, value, 1, 100_000);
      case "--first-mac" -> firstMac = DeviceMac.parse(value);
      case "--rate" -> rate = positive(name, value);
      case "--qos" -> qos = intIn(name, value, 0, 2);
      case "--duration" -> durationSeconds = positive(name, value);
      case "--count" -> count = (long) intIn(name, value, 1, Integer.MAX_VALUE);
      case "--modes" -> modes = modes(value);
      case "--sensors" -> sensors = intIn(name, value, 1, 16);
      case "--secret" -> secret = value;
      case "--secrets-file" -> secretsFile = Path.of(value);
      case "--ca" -> ca = Path.of(value);
      case "--cert" -> cert = Path.of(value);
      case "--key" -> key = Path.of(value);
      case "--max-inflight" -> maxInflight = intIn(name, value, 1, 65535);
      case "--progress" -> progressSeconds = positive(name, value);
      default -> throw new IllegalArgumentException("unknown option " + name);
    }
  }

  private void validate() {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--cert and --key go together");
    }
    if ((cert != null || ca != null) && !tls) {
      throw new IllegalArgumentException("--ca, --cert and --key need --tls");
    }
    firstMac.plus(devices - 1);
  }

  public int port() {
    return port != null ? port : tls ? 8884 : 1884;
  }

  public String serverUri() {
    return (tls ? "ssl://" : "tcp://") + host + ":" + port();
  }

  /** @return how long to publish: --duration, or unbounded when only --count is given, else 10 s */
  public double durationSeconds() {
    return durationSeconds != null ? durationSeconds : count != null ? Double.POSITIVE_INFINITY : 10;
  }

  public DeviceMac mac(int device) {
    return firstMac.plus(device);
  }

  private static List<Integer> modes(String value) {
    List<Integer> modes = new ArrayList<>();
    for (String part : value.split(",")) {
      int mode = intIn("--modes", part.trim(), 1, 2);
      if (!modes.contains(mode)) {
        modes.add(mode);
      }
    }
    return List.copyOf(modes);
  }

  private static int intIn(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a whole number: " + value);
    }
  }

  private static double positive(String name, String value) {
    try {
      double d = Double.parseDouble(value.trim());
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(name + " must be greater than 0: " + value);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number: " + value);
    }
  }
}
