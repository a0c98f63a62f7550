package io.gridline.bench;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.Rfc3339;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * Micro-benchmark of the hot Kafka record codecs, old (JsonObject via {@code toJson}/{@code fromJson}, java.time,
 * regex) against the streaming/hand-written fast paths. Plain main, no JMH: a warm-up, then 5 timed runs per case and
 * the median. Single-threaded; numbers are indicative (shared machines, no fork isolation).
 *
 * <pre>mvn -q -pl bench exec:java -Dexec.mainClass=io.gridline.bench.CodecBench</pre>
 */
public final class CodecBench {
  private static final int VARIANTS = 64;
  private static final int RUNS = 5;
  private static final long RUN_NANOS = Long.getLong("codecbench.runMillis", 300) * 1_000_000L;
  private static final DateTimeFormatter OLD_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Pattern MAC_SEPARATED = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}");
  private static final Pattern MAC_DOTTED = Pattern.compile("\\p{XDigit}{4}\\.\\p{XDigit}{4}\\.\\p{XDigit}{4}");
  private static final Pattern MAC_BARE = Pattern.compile("\\p{XDigit}{12}");
  static volatile long sink;

  private CodecBench() {}

  public static void main(String[] args) {
    RawTelemetry[] raws = new RawTelemetry[VARIANTS];
    DecodedTelemetry[] decodeds = new DecodedTelemetry[VARIANTS];
    Buffer[] rawBytes = new Buffer[VARIANTS];
    Buffer[] decodedBytes = new Buffer[VARIANTS];
    long[] times = new long[VARIANTS];
    String[] timeTexts = new String[VARIANTS];
    String[] macs = new String[VARIANTS];
    long t0 = 1764144000123L;
    for (int i = 0; i < VARIANTS; i++) {
      long t = t0 + i * 1_037_531L;
      String mac = String.format("aa:bb:cc:dd:%02x:%02x", i, 255 - i);
      byte[] payload = String.format("{\"temperature\":%d.%d,\"humidity\":%d,\"co2\":%d,\"bat\":%d}", 20 + i % 5, i % 10,
          40 + i % 20, 400 + i, 90 + i % 10).getBytes(StandardCharsets.UTF_8);
      payload = Arrays.copyOf(payload, 60);
      raws[i] = new RawTelemetry("tenant-" + (i % 4), 1000 + i, mac,
          "stat/f2-" + mac.replace(":", "") + "/sensor-mode/1/sensor-1", "f2-" + mac.replace(":", ""), 1, payload, t);
      decodeds[i] = new DecodedTelemetry("tenant-" + (i % 4), 1000 + i, t, List.of(
          new DecodedTelemetry.Value(1, "sensor-1.temperature", 20.5 + i / 10.0),
          new DecodedTelemetry.Value(2, "sensor-1.humidity", 40 + i % 20),
          new DecodedTelemetry.Value(3, "sensor-1.co2", 400 + i)));
      rawBytes[i] = KafkaCodecs.RAW_TELEMETRY.toJson(raws[i]).toBuffer();
      decodedBytes[i] = KafkaCodecs.DECODED_TELEMETRY.toJson(decodeds[i]).toBuffer();
      times[i] = t;
      timeTexts[i] = Rfc3339.format(t);
      macs[i] = mac;
    }
    System.out.printf("CodecBench: RawTelemetry %d bytes JSON (60-byte payload), DecodedTelemetry %d bytes (3 values); "
        + "%d runs x %d ms, median%n", rawBytes[0].length(), decodedBytes[0].length(), RUNS, RUN_NANOS / 1_000_000);
    System.out.printf("%-28s %12s %12s %8s%n", "case", "old ns/op", "new ns/op", "old/new");

    compare("RawTelemetry encode",
        i -> KafkaCodecs.RAW_TELEMETRY.toJson(raws[i]).toBuffer(),
        i -> KafkaCodecs.RAW_TELEMETRY.encode(raws[i]));
    compare("RawTelemetry decode",
        i -> KafkaCodecs.RAW_TELEMETRY.fromJson(new JsonObject(rawBytes[i])),
        i -> KafkaCodecs.RAW_TELEMETRY.decode(rawBytes[i]));
    compare("DecodedTelemetry encode",
        i -> KafkaCodecs.DECODED_TELEMETRY.toJson(decodeds[i]).toBuffer(),
        i -> KafkaCodecs.DECODED_TELEMETRY.encode(decodeds[i]));
    compare("DecodedTelemetry decode",
        i -> KafkaCodecs.DECODED_TELEMETRY.fromJson(new JsonObject(decodedBytes[i])),
        i -> KafkaCodecs.DECODED_TELEMETRY.decode(decodedBytes[i]));
    compare("Rfc3339 format",
        i -> OLD_FORMAT.format(Instant.ofEpochMilli(times[i])),
        i -> Rfc3339.format(times[i]));
    compare("Rfc3339 parse",
        i -> OffsetDateTime.parse(timeTexts[i]).toInstant().toEpochMilli(),
        i -> Rfc3339.parse(timeTexts[i]));
    compare("ExternalIds.mac (canonical)",
        i -> oldMac(macs[i]),
        i -> ExternalIds.mac(macs[i]));
    System.out.println("(sink " + (sink & 1) + ")");
  }

  private static void compare(String name, IntFunction<Object> old, IntFunction<Object> fast) {
    // warm-up: both, interleaved, so neither gets a JIT head start
    for (int w = 0; w < 3; w++) {
      run(old, RUN_NANOS);
      run(fast, RUN_NANOS);
    }
    double[] o = new double[RUNS];
    double[] n = new double[RUNS];
    for (int r = 0; r < RUNS; r++) {
      o[r] = run(old, RUN_NANOS);
      n[r] = run(fast, RUN_NANOS);
    }
    double om = median(o);
    double nm = median(n);
    System.out.printf("%-28s %12.1f %12.1f %7.2fx%n", name, om, nm, om / nm);
  }

  /** ns/op of {@code op} over about {@code budget} ns. */
  private static double run(IntFunction<Object> op, long budget) {
    long ops = 0;
    long acc = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      for (int k = 0; k < 1024; k++) {
        Object x = op.apply(k & (VARIANTS - 1));
        acc += consume(x);
      }
      ops += 1024;
      elapsed = System.nanoTime() - start;
    } while (elapsed < budget);
    sink += acc;
    return (double) elapsed / ops;
  }

  /** Something cheap that depends on the result, so it is not dead code. */
  private static long consume(Object x) {
    if (x instanceof Buffer b) {
      return b.length();
    } else if (x instanceof RawTelemetry r) {
      return r.payload().length + r.receivedAt() + r.mac().length();
    } else if (x instanceof DecodedTelemetry d) {
      return d.values().size() + d.timestamp() + (long) d.values().get(0).value();
    } else if (x instanceof String s) {
      return s.length() + s.charAt(s.length() - 1);
    } else if (x instanceof Long l) {
      return l;
    }
    return 1;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** ExternalIds.mac before its fast path. */
  private static String oldMac(String raw) {
    String s = raw.trim();
    if (MAC_SEPARATED.matcher(s).matches() || MAC_DOTTED.matcher(s).matches() || MAC_BARE.matcher(s).matches()) {
      String hex = s.replaceAll("[^0-9A-Fa-f]", "").toLowerCase(Locale.ROOT);
      StringBuilder out = new StringBuilder(17);
      for (int i = 0; i < hex.length(); i += 2) {
        if (i > 0) {
          out.append(':');
        }
        out.append(hex, i, i + 2);
      }
      return out.toString();
    }
    throw new IllegalArgumentException("not a MAC");
  }
}
