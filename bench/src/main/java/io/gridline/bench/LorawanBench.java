package io.gridline.bench;

import io.gridline.devservices.EmbeddedKafka;
import io.gridline.devservices.FreePorts;
import io.gridline.lorawan.storage.DeviceSession;
import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.Eui64;
import io.gridline.lrwn.frame.FCtrl;
import io.gridline.lrwn.frame.Fhdr;
import io.gridline.lrwn.frame.FrmCipher;
import io.gridline.lrwn.frame.JoinRequest;
import io.gridline.lrwn.frame.MType;
import io.gridline.lrwn.frame.Mic;
import io.gridline.lrwn.frame.PhyPayload;
import io.gridline.lrwn.frame.SessionKeys;
import io.gridline.lrwn.region.RegionParams;
import io.gridline.runtime.SecretBox;
import io.gridline.testkit.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LoRaWAN network server under load (issue 10, Measure), a node process running only {@code lorawan} against the
 * shared PostgreSQL and Redis and a Kafka broker in this JVM; three gateways are UDP sockets here speaking the Semtech
 * packet forwarder protocol, every uplink heard by all three (three PUSH_DATA datagrams, different RSSI/SNR).
 * <ol>
 *   <li><b>uplinks</b>: ABP devices (payload codec none) send unconfirmed uplinks as fast as the server completes them,
 *   at most {@code WINDOW} unfinished; uplinks accepted per second (the node's {@code gridline_lorawan_uplinks_*}
 *   counters) and the node's CPU-µs per uplink (utime+stime of its process from /proc) over the measured seconds,
 *   median of the runs, against the target of 10,000 uplinks/s;</li>
 *   <li><b>joins</b>: OTAA JoinRequests from fresh DevNonces, joins accepted per second;</li>
 *   <li><b>latency</b>: confirmed uplinks at a steady rate; the time from the first gateway's PUSH_DATA to the
 *   PULL_RESP carrying the ACK, p50/p99, against the RX1 budget of 1 s (the server waits the dedup window,
 *   {@code lorawan.dedup-window-ms}, before it handles an uplink: that is in the figure).</li>
 * </ol>
 * <pre>mvn -q -pl bench exec:java -Dexec.mainClass=io.gridline.bench.LorawanBench -Dexec.args="DEVICES SECONDS RUNS WINDOW JOINS LATENCY_RATE WARMUP_SECONDS"</pre>
 */
public final class LorawanBench {
  private static final String[] GATEWAYS = {"aa555a00000000b1", "aa555a00000000b2", "aa555a00000000b3"};
  /** HTTP/1.1 (no h2c upgrade dance with the ops server) and bounded: a scrape never hangs the bench. */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern METRIC = Pattern.compile("(?m)^(gridline_lorawan_[a-z_]+_total)(\\{[^}]*})? ([0-9.eE+-]+)$");

  private record Device(long id, String devEui, DevAddr devAddr, SessionKeys keys, long[] fCnt) {}

  private record OtaaDevice(String devEui, AesKey appKey) {}

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 3_000;
    int joins = args.length > 4 ? Integer.parseInt(args[4]) : 2_000;
    int latencyRate = args.length > 5 ? Integer.parseInt(args[5]) : 200;
    int warmup = args.length > 6 ? Integer.parseInt(args[6]) : 60;
    int cores = Runtime.getRuntime().availableProcessors();
    if (window > devices) {
      window = devices; // at most one uplink of a device unfinished: its frame counter moves in order
    }
    System.out.printf(Locale.ROOT, "LorawanBench: %d ABP devices, 3 gateways per uplink, %d s x %d runs, window %d; %d joins;"
        + " latency at %d uplinks/s; %d cores%n", devices, seconds, runs, window, joins, latencyRate, cores);
    Path tmp = NodeProcess.tempDir("gridline-bench-lorawan-");
    EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
    MqttBench.NodeEnv ne = MqttBench.NodeEnv.of(kafka);
    int udpPort = FreePorts.find();
    ne.env().put("GRIDLINE_LORAWAN_UDP_PORT", Integer.toString(udpPort));
    ne.env().put("GRIDLINE_LORAWAN_HOST", "127.0.0.1");
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("LORABENCH_GRIDLINE_")) {
        ne.env().put(k.substring("LORABENCH_".length()), v);
        System.out.println("  node env " + k.substring("LORABENCH_".length()) + "=" + v);
      }
    });
    SecretBox box = SecretBox.fromBase64(ne.env().get("GRIDLINE_SECRETS_ENCRYPTION_KEY"));
    Path nodeLog = tmp.resolve("node.log");
    System.out.println("  node log: " + nodeLog);
    try (NodeProcess node = NodeProcess.launch(ne.env(), ne.opsPort(), nodeLog, "--verticles", "lorawan");
        Connection db = DriverManager.getConnection(TestStores.pgJdbcUrl(ne.pgUrl()))) {
      node.awaitReady(Duration.ofSeconds(180));
      UUID tenant = UUID.randomUUID();
      update(db, "INSERT INTO tenants (id, name, max_devices) VALUES (?, 'lorawan-bench', 1000000)", tenant);
      for (String g : GATEWAYS) {
        update(db, "INSERT INTO lorawan_gateways (gateway_id, tenant_id, name, region) VALUES (?, ?, ?, 'EU868')", g,
            tenant, "bench " + g);
      }
      List<Device> abp = provisionAbp(db, box, tenant, devices);
      List<OtaaDevice> otaa = provisionOtaa(db, box, tenant, joins);
      System.out.println("  provisioned " + abp.size() + " ABP and " + otaa.size() + " OTAA devices");
      Gateways gw = new Gateways(udpPort);
      try {
        gw.pull();
        uplinks(node, ne.opsPort(), gw, abp, warmup, seconds, runs, window, cores);
        joins(ne.opsPort(), gw, otaa, joins);
        latency(gw, abp, latencyRate, seconds);
      } finally {
        gw.close();
      }
    } finally {
      kafka.close();
    }
    System.exit(0);
  }

  // ---- 1. uplinks/s and CPU per uplink

  private static void uplinks(NodeProcess node, int opsPort, Gateways gw, List<Device> abp, int warmup, int seconds,
      int runs,
      int window, int cores) throws Exception {
    List<Double> rates = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    // warm-up, not counted: on 2 cores C2 compiles the path for about a minute (JFR showed 38 s of compiler threads'
    // time in a node's first minute), and a run measured during it shows the JIT's CPU, not the server's
    runUplinks(node, opsPort, gw, abp, warmup, window, null, null);
    for (int r = 0; r < runs; r++) {
      runUplinks(node, opsPort, gw, abp, seconds, window, rates, cpu);
      System.out.printf(Locale.ROOT, "  uplinks run %d: %.0f uplinks/s (%.0f datagrams/s), node %.1f CPU-µs per uplink%n",
          r + 1, rates.get(r), rates.get(r) * 3, cpu.get(r));
    }
    double rate = Stats.median(rates);
    System.out.printf(Locale.ROOT, "uplinks/s through dedup + session + MIC + decrypt, 3 gateways each (median of %d): "
        + "%.0f (%.0f datagrams/s), %.2fx the target of 10,000; node CPU-µs per uplink %.1f (median; %d cores)%n",
        runs, rate, rate * 3, rate / 10_000, Stats.median(cpu), cores);
  }

  private static void runUplinks(NodeProcess node, int opsPort, Gateways gw, List<Device> abp, int seconds, int window,
      List<Double> rates, List<Double> cpu) throws Exception {
    double done0 = handled(opsPort);
    double accepted0 = counter(opsPort, "gridline_lorawan_uplinks_accepted_total");
    double cpu0 = MqttBench.procCpuSec(node.pid());
    long t0 = System.nanoTime();
    long end = t0 + seconds * 1_000_000_000L;
    long sent = 0;
    double done = 0;
    int next = 0;
    Random random = new Random(1);
    while (System.nanoTime() < end) {
      done = handled(opsPort) - done0;
      long room = window - (sent - (long) done);
      for (long i = 0; i < room; i++) {
        Device d = abp.get(next++ % abp.size());
        byte[] phy = dataUp(d, MType.UNCONFIRMED_DATA_UP, random);
        gw.push(phy);
        sent++;
      }
      // each look at the counters is a /metrics scrape, which costs the node CPU too: at 20 a second JFR found a
      // third of the node's samples in the scrape; at 4 a second it stays a few percent
      Thread.sleep(250);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double accepted = counter(opsPort, "gridline_lorawan_uplinks_accepted_total") - accepted0;
    double cpuSec = MqttBench.procCpuSec(node.pid()) - cpu0;
    // let the window drain before the next run
    long drainUntil = System.nanoTime() + 10_000_000_000L;
    while (handled(opsPort) - done0 < sent && System.nanoTime() < drainUntil) {
      Thread.sleep(20);
    }
    double refused = handled(opsPort) - done0 - (counter(opsPort, "gridline_lorawan_uplinks_accepted_total") - accepted0);
    if (refused > 0) {
      System.out.printf(Locale.ROOT, "  (%.0f uplinks refused or dropped in this run: %s)%n", refused,
          refusals(opsPort));
    }
    if (rates != null) {
      rates.add(accepted / wall);
      cpu.add(accepted == 0 ? Double.NaN : cpuSec * 1e6 / accepted);
    }
  }

  private static byte[] dataUp(Device d, MType type, Random random) {
    long fCnt = d.fCnt()[0]++;
    byte[] payload = new byte[8];
    random.nextBytes(payload);
    DataFrame frame = new DataFrame(type, new Fhdr(d.devAddr(), FCtrl.uplink(false, false, false, false),
        (int) (fCnt & 0xFFFF), Bytes.EMPTY), OptionalInt.of(2), Bytes.of(payload), 0);
    return Mic.signData(FrmCipher.encrypt(frame, d.keys(), fCnt), d.keys().nwkSKey(), fCnt).encode();
  }

  /** Uplinks the server finished with: accepted, refused, or copies folded into another. */
  private static double handled(int opsPort) throws Exception {
    Map<String, Double> m = metrics(opsPort);
    return m.entrySet().stream().filter(e -> e.getKey().startsWith("gridline_lorawan_uplinks_accepted_total")
        || e.getKey().startsWith("gridline_lorawan_uplinks_refused_total")).mapToDouble(Map.Entry::getValue).sum();
  }

  private static double counter(int opsPort, String name) throws Exception {
    return metrics(opsPort).entrySet().stream().filter(e -> e.getKey().startsWith(name))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  private static String refusals(int opsPort) throws Exception {
    StringBuilder out = new StringBuilder();
    metrics(opsPort).forEach((k, v) -> {
      if (k.startsWith("gridline_lorawan_uplinks_refused_total")) {
        out.append(k.substring("gridline_lorawan_uplinks_refused_total".length())).append('=').append(v.longValue())
            .append(' ');
      }
    });
    return out.toString().trim();
  }

  private static Map<String, Double> metrics(int opsPort) throws Exception {
    String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> out = new ConcurrentHashMap<>();
    Matcher m = METRIC.matcher(body);
    while (m.find()) {
      out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return out;
  }

  // ---- 2. joins/s

  /** One JoinRequest per device (joins of one device at once race for its JoinNonce: the server takes one). */
  private static void joins(int opsPort, Gateways gw, List<OtaaDevice> otaa, int joins) throws Exception {
    double accepted0 = counter(opsPort, "gridline_lorawan_joins_accepted_total");
    double refused0 = counter(opsPort, "gridline_lorawan_uplinks_refused_total");
    long t0 = System.nanoTime();
    Random random = new Random(3);
    for (int i = 0; i < joins; i++) {
      OtaaDevice d = otaa.get(i);
      JoinRequest request = new JoinRequest(Eui64.fromHex("70b3d57ed0000000"), Eui64.fromHex(d.devEui()),
          random.nextInt(1 << 16), 0);
      gw.push(request.withMic(Mic.joinRequest(request, d.appKey())).encode());
      if (i % 100 == 99) { // the next burst once this one is handled: the server is measured, not socket buffers
        int sent = i + 1;
        awaitJoins(opsPort, accepted0, refused0, sent - 100, 30_000);
      }
    }
    awaitJoins(opsPort, accepted0, refused0, joins, 30_000);
    double wall = (System.nanoTime() - t0) / 1e9;
    double accepted = counter(opsPort, "gridline_lorawan_joins_accepted_total") - accepted0;
    System.out.printf(Locale.ROOT, "join requests/s: %.0f accepted (%d sent, %.0f accepted, in %.1f s)%s%n",
        accepted / wall, joins, accepted, wall, accepted < joins ? "; refusals so far " + refusals(opsPort) : "");
  }

  private static void awaitJoins(int opsPort, double accepted0, double refused0, int handled, long timeoutMs)
      throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (counter(opsPort, "gridline_lorawan_joins_accepted_total") - accepted0
        + counter(opsPort, "gridline_lorawan_uplinks_refused_total") - refused0 < handled
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
  }

  // ---- 3. uplink → downlink on the wire

  private static void latency(Gateways gw, List<Device> abp, int rate, int seconds) throws Exception {
    Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
    List<Long> latencies = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (DatagramSocket s : gw.sockets) {
      s.setSoTimeout(200);
      Thread reader = new Thread(() -> {
        byte[] buf = new byte[4096];
        while (!Thread.currentThread().isInterrupted()) {
          try {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            long now = System.nanoTime();
            if (p.getLength() > 4 && buf[3] == 0x03) {
              JsonObject txpk = new JsonObject(new String(buf, 4, p.getLength() - 4, StandardCharsets.UTF_8))
                  .getJsonObject("txpk");
              PhyPayload down = PhyPayload.decode(Base64.getDecoder().decode(txpk.getString("data")));
              if (down instanceof DataFrame f) {
                Long at = sentAt.remove(f.fhdr().devAddr().value());
                if (at != null) {
                  synchronized (latencies) {
                    latencies.add(now - at);
                  }
                }
              }
            }
          } catch (SocketTimeoutException quiet) {
            // look at the interrupt flag
          } catch (Exception e) {
            return;
          }
        }
      });
      reader.start();
      readers.add(reader);
    }
    Random random = new Random(2);
    long intervalNanos = 1_000_000_000L / rate;
    long t0 = System.nanoTime();
    long sent = 0;
    int next = 0;
    while (System.nanoTime() - t0 < seconds * 1_000_000_000L) {
      Device d = abp.get(next++ % abp.size());
      if (!sentAt.containsKey(d.devAddr().value())) {
        byte[] phy = dataUp(d, MType.CONFIRMED_DATA_UP, random);
        sentAt.put(d.devAddr().value(), System.nanoTime());
        gw.push(phy);
        sent++;
      }
      long due = t0 + sent * intervalNanos;
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
    }
    Thread.sleep(3_000);
    for (Thread reader : readers) {
      reader.interrupt();
      reader.join();
    }
    long[] sorted;
    synchronized (latencies) {
      sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    if (sorted.length == 0) {
      System.out.println("uplink → downlink latency: no downlink received");
      return;
    }
    double p50 = Stats.percentile(sorted, sorted.length, 50);
    double p99 = Stats.percentile(sorted, sorted.length, 99);
    System.out.printf(Locale.ROOT, "uplink → downlink on the wire at %d confirmed uplinks/s (%d sent, %d ACKs received): "
        + "p50 %.1f ms, p99 %.1f ms; RX1 budget 1000 ms: p99 at %.2fx of it%n", rate, sent, sorted.length, p50, p99,
        p99 / 1000);
  }

  // ---- set-up

  private static List<Device> provisionAbp(Connection db, SecretBox box, UUID tenant, int n) throws Exception {
    List<Device> out = new ArrayList<>(n);
    Random random = new Random();
    String state = DeviceSession.initialState(RegionParams.byName("EU868").orElseThrow(), 1).encode();
    db.setAutoCommit(false);
    for (int i = 0; i < n; i++) {
      String devEui = hex(random, 8);
      DevAddr addr = new DevAddr(0x26000000 | random.nextInt(1 << 24));
      SessionKeys keys = new SessionKeys(AesKey.of(bytes(random, 16)), AesKey.of(bytes(random, 16)));
      long id = queryLong(db, "INSERT INTO devices (tenant_id, kind, external_id, name) VALUES (?, 'lorawan', ?, ?) "
          + "RETURNING id", tenant, devEui, "bench " + i);
      update(db, "INSERT INTO lorawan_devices (device_id, dev_eui, region, payload_codec) VALUES (?, ?, 'EU868', "
          + "'none')", id, devEui);
      byte[] ad = devEui.getBytes(StandardCharsets.US_ASCII);
      update(db, "INSERT INTO lorawan_sessions (device_id, dev_eui, dev_addr, activation, nwk_s_key, app_s_key, "
              + "f_cnt_up, n_f_cnt_down, state) VALUES (?, ?, ?, 'abp', ?, ?, 0, 0, ?::jsonb)", id, devEui, addr.hex(),
          box.seal(keys.nwkSKey().octets(), ad), box.seal(keys.appSKey().octets(), ad), state);
      out.add(new Device(id, devEui, addr, keys, new long[] {0}));
    }
    db.commit();
    db.setAutoCommit(true);
    return out;
  }

  private static List<OtaaDevice> provisionOtaa(Connection db, SecretBox box, UUID tenant, int n) throws Exception {
    List<OtaaDevice> out = new ArrayList<>(n);
    Random random = new Random();
    db.setAutoCommit(false);
    for (int i = 0; i < n; i++) {
      String devEui = hex(random, 8);
      AesKey appKey = AesKey.of(bytes(random, 16));
      long id = queryLong(db, "INSERT INTO devices (tenant_id, kind, external_id, name) VALUES (?, 'lorawan', ?, ?) "
          + "RETURNING id", tenant, devEui, "bench otaa " + i);
      update(db, "INSERT INTO lorawan_devices (device_id, dev_eui, join_eui, app_key, mac_version, region, "
              + "payload_codec) VALUES (?, ?, '70b3d57ed0000000', ?, '1.0.3', 'EU868', 'none')", id, devEui,
          box.seal(appKey.octets(), devEui.getBytes(StandardCharsets.US_ASCII)));
      out.add(new OtaaDevice(devEui, appKey));
    }
    db.commit();
    db.setAutoCommit(true);
    return out;
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static String hex(Random random, int n) {
    return HexFormat.of().formatHex(bytes(random, n));
  }

  private static void update(Connection db, String sql, Object... args) throws Exception {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      st.executeUpdate();
    }
  }

  private static long queryLong(Connection db, String sql, Object... args) throws Exception {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Three packet forwarders: each copy of an uplink from each, with its own RSSI/SNR and counter. */
  private static final class Gateways implements AutoCloseable {
    final DatagramSocket[] sockets = new DatagramSocket[GATEWAYS.length];
    private final InetAddress server = InetAddress.getLoopbackAddress();
    private final int port;
    private long tmst = 1_000_000;
    private int token;

    Gateways(int port) throws Exception {
      this.port = port;
      for (int i = 0; i < sockets.length; i++) {
        sockets[i] = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        sockets[i].setReceiveBufferSize(4 << 20);
      }
    }

    /** PULL_DATA from each, so the server holds a route to send downlinks. */
    void pull() throws Exception {
      for (int i = 0; i < sockets.length; i++) {
        send(i, 0x02, null);
      }
      Thread.sleep(200);
    }

    void push(byte[] phy) throws Exception {
      tmst += 1_000;
      for (int i = 0; i < sockets.length; i++) {
        JsonObject rx = new JsonObject().put("tmst", tmst).put("chan", 0).put("rfch", 0).put("freq", 868.1)
            .put("stat", 1).put("modu", "LORA").put("datr", "SF7BW125").put("codr", "4/5").put("rssi", -60 - 10 * i)
            .put("lsnr", 9.5 - 2 * i).put("size", phy.length).put("data", Base64.getEncoder().encodeToString(phy));
        send(i, 0x00, new JsonObject().put("rxpk", new JsonArray().add(rx)));
      }
    }

    private void send(int gateway, int identifier, JsonObject body) throws Exception {
      byte[] json = body == null ? new byte[0] : body.encode().getBytes(StandardCharsets.UTF_8);
      byte[] d = Arrays.copyOf(new byte[12], 12 + json.length);
      int t = token++ & 0xFFFF;
      d[0] = 2;
      d[1] = (byte) (t >> 8);
      d[2] = (byte) t;
      d[3] = (byte) identifier;
      System.arraycopy(HexFormat.of().parseHex(GATEWAYS[gateway]), 0, d, 4, 8);
      System.arraycopy(json, 0, d, 12, json.length);
      sockets[gateway].send(new DatagramPacket(d, d.length, server, port));
    }

    @Override
    public void close() {
      for (DatagramSocket s : sockets) {
        s.close();
      }
    }
  }
}
