package io.gridline.sim.lorawan;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.Eui64;
import java.net.URI;
import java.nio.file.Path;

/** The command line. Parsing fails with an {@link IllegalArgumentException} whose message names the bad option. */
public final class SimOptions {
  public static final String USAGE = """
      Usage: java -jar gridline-sim-lorawan.jar [options]
        --host H              network server (127.0.0.1)
        --port P              its Semtech UDP port (1700)
        --gateways N          packet forwarders, each its own UDP socket (3)
        --first-gateway EUI   first gateway id; the others count up (0016c001ff000001)
        --heard-by K          gateways that hear each uplink, each with its own RSSI/SNR (all)
        --devices M           generated ABP devices when no --abp/--otaa file is given (4)
        --first-dev-eui EUI   first generated DevEUI; the others count up (70b3d5499a000001)
        --first-dev-addr A    first generated DevAddr; the others count up (26010001)
        --nwk-skey K          NwkSKey of every generated device (2b7e151628aed2a6abf7158809cf4f3c)
        --app-skey K          AppSKey of every generated device (2b7e151628aed2a6abf7158809cf4f3d)
        --abp F               ABP devices, one "devEui devAddr nwkSKey appSKey" per line ('#' comments)
        --otaa F              OTAA devices, one "devEui joinEui appKey" per line; they join first
        --fport N             FPort of the uplinks, 1..223 (1)
        --payload HEX         FRMPayload of every uplink (0167011a: Cayenne LPP temperature 28.2 °C)
        --confirmed F         fraction of uplinks sent confirmed, 0..1 (0)
        --rate R              uplinks per second per device, fractions allowed (0.2)
        --duration S          seconds to send (10, unless --count is given)
        --count C             data uplinks per device, then stop
        --frequency MHZ       uplink frequency (868.1)
        --datr D              uplink data rate (SF7BW125)
        --join-timeout S      seconds an OTAA device waits for its JoinAccept before it asks again (10)
        --drain S             seconds to wait for downlinks after the last uplink (3)
        --api URL             Gridline api (http://host:port): count the uplinks it kept, per device
        --api-key KEY         a read key of the devices' tenant, with --api
        --progress S          seconds between progress lines (5)
        --help                this text
      """;

  String host = "127.0.0.1";
  int port = 1700;
  int gateways = 3;
  Eui64 firstGateway = Eui64.fromHex("0016c001ff000001");
  Integer heardBy;
  int devices = 4;
  Eui64 firstDevEui = Eui64.fromHex("70b3d5499a000001");
  DevAddr firstDevAddr = DevAddr.fromHex("26010001");
  AesKey nwkSKey = AesKey.fromHex("2b7e151628aed2a6abf7158809cf4f3c");
  AesKey appSKey = AesKey.fromHex("2b7e151628aed2a6abf7158809cf4f3d");
  Path abpFile;
  Path otaaFile;
  int fPort = 1;
  byte[] payload = java.util.HexFormat.of().parseHex("0167011a");
  double confirmed;
  double rate = 0.2;
  Double durationSeconds;
  Long count;
  long frequencyHz = 868_100_000;
  String datr = "SF7BW125";
  double joinTimeoutSeconds = 10;
  double drainSeconds = 3;
  URI api;
  String apiKey;
  double progressSeconds = 5;
  boolean help;

  public static SimOptions parse(String... args) {
    SimOptions o = new SimOptions();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        o.help = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name.startsWith("--") ? name + " needs a value" : "unknown argument " + name);
      }
      o.set(name, args[++i]);
    }
    o.validate();
    return o;
  }

  private void set(String name, String value) {
    try {
      switch (name) {
        case "--host" -> host = value;
        case "--port" -> port = intIn(name, value, 1, 65535);
        case "--gateways" -> gateways = intIn(name, value, 1, 1000);
        case "--first-gateway" -> firstGateway = Eui64.fromHex(value);
        case "--heard-by" -> heardBy = intIn(name, value, 1, 1000);
        case "--devices" -> devices = intIn(name, value, 1, 1_000_000);
        case "--first-dev-eui" -> firstDevEui = Eui64.fromHex(value);
        case "--first-dev-addr" -> firstDevAddr = DevAddr.fromHex(value);
        case "--nwk-skey" -> nwkSKey = AesKey.fromHex(value);
        case "--app-skey" -> appSKey = AesKey.fromHex(value);
        case "--abp" -> abpFile = Path.of(value);
        case "--otaa" -> otaaFile = Path.of(value);
        case "--fport" -> fPort = intIn(name, value, 1, 223);
        case "--payload" -> payload = java.util.HexFormat.of().parseHex(value);
        case "--confirmed" -> confirmed = fraction(name, value);
        case "--rate" -> rate = positive(name, value);
        case "--duration" -> durationSeconds = positive(name, value);
        case "--count" -> count = (long) intIn(name, value, 1, Integer.MAX_VALUE);
        case "--frequency" -> frequencyHz = Math.round(positive(name, value) * 1_000_000);
        case "--datr" -> datr = io.gridline.lrwn.region.DataRate.parseLora(value)
            .orElseThrow(() -> new IllegalArgumentException(name + " must be a LoRa data rate like SF7BW125, not "
                + value)).loraDatr();
        case "--join-timeout" -> joinTimeoutSeconds = positive(name, value);
        case "--drain" -> drainSeconds = nonNegative(name, value);
        case "--api" -> api = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        case "--api-key" -> apiKey = value;
        case "--progress" -> progressSeconds = positive(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && (e.getMessage().startsWith(name) || e.getMessage().startsWith("unknown option"))) {
        throw e;
      }
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private void validate() {
    if (heardBy != null && heardBy > gateways) {
      throw new IllegalArgumentException("--heard-by " + heardBy + " is more than --gateways " + gateways);
    }
    if ((api == null) != (apiKey == null)) {
      throw new IllegalArgumentException("--api and --api-key go together");
    }
    if (payload.length > 222) {
      throw new IllegalArgumentException("--payload is " + payload.length + " octets; at most 222 fit a frame");
    }
  }

  int heardBy() {
    return heardBy == null ? gateways : heardBy;
  }

  /** Seconds to send: --duration, else 10 unless --count bounds the run instead. */
  Double sendSeconds() {
    return durationSeconds != null ? durationSeconds : (count != null ? null : Double.valueOf(10));
  }

  private static int intIn(String name, String value, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not " + value);
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", not " + v);
    }
    return v;
  }

  private static double number(String name, String value) {
    try {
      double d = Double.parseDouble(value);
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not " + value);
    }
  }

  private static double positive(String name, String value) {
    double d = number(name, value);
    if (d <= 0) {
      throw new IllegalArgumentException(name + " must be above 0, not " + value);
    }
    return d;
  }

  private static double nonNegative(String name, String value) {
    double d = number(name, value);
    if (d < 0) {
      throw new IllegalArgumentException(name + " must be 0 or more, not " + value);
    }
    return d;
  }

  private static double fraction(String name, String value) {
    double d = number(name, value);
    if (d < 0 || d > 1) {
      throw new IllegalArgumentException(name + " must be 0..1, not " + value);
    }
    return d;
  }
}
