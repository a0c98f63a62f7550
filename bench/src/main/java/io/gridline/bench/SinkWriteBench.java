package io.gridline.bench;

import io.gridline.runtime.PgUrl;
import io.gridline.sink.DecodedDataWriter;
import io.gridline.sink.DecodedRows;
import io.gridline.sql.Migrations;
import io.gridline.testkit.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * Sink write methods on the same rows into the same empty {@code decoded_data}: the sink's unnest insert (batches of
 * {@code batch} rows, each in its own transaction, one at a time and two in flight as the verticle writes by default),
 * pgjdbc {@code CopyManager},
 * and {@code psql \copy} of the same rows as CSV (the baseline: PostgreSQL's write limit here). Medians of the runs,
 * ratios against {@code psql \copy}.
 *
 * <pre>mvn -q -pl bench exec:java -Dexec.mainClass=io.gridline.bench.SinkWriteBench -Dexec.args="200000 3 5000 [pg-url]"</pre>
 */
public final class SinkWriteBench {
  private interface Method {
    void write() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    String url = args.length > 3 ? args[3] : TestStores.pgUrl();
    PgUrl pg = PgUrl.parse(url);
    Migrations.migrateTimeseries(pg.jdbcUrl(), pg.user(), pg.password());

    List<DecodedRows> batches = rows(rows, batch);
    byte[] csv = csv(batches);
    Path csvFile = Files.createTempFile("gridline-sink-bench-", ".csv");
    Files.write(csvFile, csv);

    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(pg.connectOptions()).using(vertx)
        .build();
    DecodedDataWriter writer = new DecodedDataWriter();
    String jdbc = TestStores.pgJdbcUrl(url);

    Map<String, Method> methods = new LinkedHashMap<>();
    methods.put("psql \\copy (baseline)", () -> psqlCopy(url, csvFile));
    methods.put("pgjdbc CopyManager", () -> {
      try (Connection c = DriverManager.getConnection(jdbc)) {
        c.unwrap(PGConnection.class).getCopyAPI()
            .copyIn("COPY decoded_data FROM STDIN WITH (FORMAT csv)", new ByteArrayInputStream(csv));
      }
    });
    methods.put("unnest insert, 1 batch in flight", () -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (DecodedRows b : batches) {
        chain = chain.compose(n -> writer.insertInTransaction(pool, b).map(i -> n + i));
      }
      int inserted = chain.await(10, TimeUnit.MINUTES);
      if (inserted != rows) {
        throw new IllegalStateException("inserted " + inserted + " of " + rows);
      }
    });
    methods.put("unnest insert, 2 in flight (sink)", () -> {
      List<Future<Integer>> lanes = new ArrayList<>();
      for (int lane = 0; lane < 2; lane++) {
        Future<Integer> chain = Future.succeededFuture(0);
        for (int i = lane; i < batches.size(); i += 2) {
          DecodedRows b = batches.get(i);
          chain = chain.compose(n -> writer.insertInTransaction(pool, b).map(x -> n + x));
        }
        lanes.add(chain);
      }
      Future.all(lanes).await(10, TimeUnit.MINUTES);
    });

    Map<String, List<Double>> rates = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      for (Map.Entry<String, Method> m : methods.entrySet()) {
        truncate(jdbc);
        long t0 = System.nanoTime();
        m.getValue().write();
        double seconds = (System.nanoTime() - t0) / 1e9;
        rates.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(rows / seconds);
        System.out.printf("run %d  %-34s %,10.0f rows/s%n", run, m.getKey(), rows / seconds);
      }
    }
    double baseline = Stats.median(rates.values().iterator().next());
    System.out.printf("%n%d rows, batches of %d, %d runs, medians:%n", rows, batch, runs);
    rates.forEach((name, xs) -> System.out.printf("  %-34s %,10.0f rows/s  %.2fx%n", name, Stats.median(xs),
        Stats.median(xs) / baseline));
    pool.close().await();
    vertx.close().await();
    Files.deleteIfExists(csvFile);
    System.exit(0);
  }

  private static List<DecodedRows> rows(int rows, int batch) {
    List<DecodedRows> out = new ArrayList<>();
    long t0 = 1_793_000_000_000L;
    DecodedRows current = new DecodedRows(batch);
    for (int i = 0; i < rows; i++) {
      // 100 devices × 3 datapoints, one reading per device every 10 ms
      current.add(t0 + (i / 300) * 10L, 1 + (i / 3) % 100, 1 + i % 3, Math.round(i * 0.37 * 10) / 10.0);
      if (current.size() == batch) {
        out.add(current);
        current = new DecodedRows(batch);
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private static byte[] csv(List<DecodedRows> batches) {
    DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    StringBuilder sb = new StringBuilder();
    for (DecodedRows b : batches) {
      for (int i = 0; i < b.size(); i++) {
        sb.append(iso.format(b.timestamp(i))).append(',').append(b.deviceId(i)).append(',').append(b.datapointId(i))
            .append(',').append(b.value(i)).append('\n');
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void psqlCopy(String url, Path csv) throws Exception {
    Process p = new ProcessBuilder("psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
        "\\copy decoded_data FROM '" + csv + "' WITH (FORMAT csv)").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("psql \\copy failed: " + out);
    }
  }

  private static void truncate(String jdbc) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
      st.execute("TRUNCATE decoded_data");
      st.execute("CHECKPOINT");
    }
  }
}
