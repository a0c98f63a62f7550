package io.gridline.testkit;

import io.gridline.devservices.EmbeddedKafka;
import io.gridline.devservices.EmbeddedPg;
import io.gridline.devservices.EmbeddedRedis;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores for tests (add this module with test scope). Thread-safe; everything starts lazily, once per JVM,
 * and is cleaned up at JVM exit.
 *
 * <ul>
 *   <li>PostgreSQL: the machine's server on 127.0.0.1:5432 (user postgres, trust) if it answers, else one
 *       embedded server per JVM. {@link #pgUrl()} creates a fresh database per call.
 *   <li>Redis: the machine's server on 127.0.0.1:6379 if it answers PING, else one embedded server per JVM.
 *   <li>Kafka: always an embedded broker, one per JVM.
 * </ul>
 *
 * <p>{@code -Dgridline.test.embedded=true} (or environment {@code GRIDLINE_TEST_EMBEDDED=true}) skips the
 * machine's PostgreSQL and Redis and always uses embedded ones.
 */
public final class TestStores {

  private static final Logger log = LoggerFactory.getLogger(TestStores.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String MACHINE_PG = "postgresql://postgres@127.0.0.1:5432/postgres";
  private static final String MACHINE_REDIS = "redis://127.0.0.1:6379";

  // lock order: PG_LOCK / REDIS_LOCK / KAFKA_LOCK before LOCK, never the other way
  private static final Object PG_LOCK = new Object();
  private static final Object REDIS_LOCK = new Object();
  private static final Object KAFKA_LOCK = new Object();
  private static final Object LOCK = new Object();   // the lists below and the hook
  private static volatile String pgAdminUrl;          // URL of the postgres database on the chosen server
  private static volatile boolean pgExternal;
  private static volatile EmbeddedPg sharedPg;
  private static volatile String redisUrl;
  private static volatile EmbeddedRedis sharedRedis;
  private static volatile EmbeddedKafka sharedKafka;
  private static final List<String> createdDatabases = new ArrayList<>();
  private static final List<AutoCloseable> owned = new ArrayList<>();
  private static final List<Path> tempDirs = new ArrayList<>();
  private static boolean hookInstalled;

  private TestStores() {
  }

  /**
   * A fresh, empty database for the caller ({@code gridline_t_<random>}), as
   * {@code postgresql://postgres@127.0.0.1:<port>/gridline_t_<random>}. Dropped at JVM exit.
   */
  public static String pgUrl() {
    String admin;
    synchronized (PG_LOCK) {
      if (pgAdminUrl == null) {
        installHook();
        if (!forceEmbedded() && pgAnswers(MACHINE_PG)) {
          pgAdminUrl = MACHINE_PG;
          pgExternal = true;
        } else {
          sharedPg = EmbeddedPg.start(tempDir("gridline-test-pg-"), 0, false, false);
          pgAdminUrl = sharedPg.url("postgres");
          log.info("TestStores: {}, started {}", forceEmbedded() ? "embedded stores requested" : "no PostgreSQL on 127.0.0.1:5432", sharedPg);
        }
      }
      admin = pgAdminUrl;
    }
    String db = "gridline_t_" + randomSuffix();
    try (Connection c = DriverManager.getConnection(pgJdbcUrl(admin)); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + db + " on " + admin + ": " + e.getMessage(), e);
    }
    synchronized (LOCK) {
      createdDatabases.add(db);
    }
    return admin.substring(0, admin.lastIndexOf('/') + 1) + db;
  }

  /**
   * Converts a libpq-style URI {@code postgresql://user[:password]@host[:port]/database[?k=v&...]} (or
   * {@code postgres://}) to {@code jdbc:postgresql://host:port/database?user=...[&password=...][&k=v...]}.
   * The port defaults to 5432, the user to postgres, the database to the user name.
   */
  public static String pgJdbcUrl(String pgUrl) {
    URI u = URI.create(pgUrl);
    if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())) {
      throw new IllegalArgumentException("not a postgresql:// URL: " + pgUrl);
    }
    String user = "postgres";
    String password = null;
    String info = u.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      if (colon >= 0) {
        password = decode(info.substring(colon + 1));
      }
    }
    String host = u.getHost() == null ? "127.0.0.1" : u.getHost();
    int port = u.getPort() < 0 ? 5432 : u.getPort();
    String path = u.getRawPath();
    String db = path == null || path.length() <= 1 ? user : path.substring(1);
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/').append(db)
        .append("?user=").append(encode(user));
    if (password != null) {
      jdbc.append("&password=").append(encode(password));
    }
    if (u.getRawQuery() != null && !u.getRawQuery().isEmpty()) {
      jdbc.append('&').append(u.getRawQuery());
    }
    return jdbc.toString();
  }

  /** {@code redis://127.0.0.1:6379} if the machine's Redis answers PING, else the URL of one embedded Redis per JVM. */
  public static String redisUrl() {
    synchronized (REDIS_LOCK) {
      if (redisUrl == null) {
        installHook();
        if (!forceEmbedded() && redisAnswers(6379)) {
          redisUrl = MACHINE_REDIS;
        } else {
          sharedRedis = EmbeddedRedis.start(tempDir("gridline-test-redis-"), 0);
          redisUrl = sharedRedis.url();
          log.info("TestStores: {}, started {}", forceEmbedded() ? "embedded stores requested" : "no Redis on 127.0.0.1:6379", sharedRedis);
        }
      }
      return redisUrl;
    }
  }

  /** Bootstrap servers of one embedded Kafka broker per JVM ({@code 127.0.0.1:<port>}). */
  public static String kafkaBootstrap() {
    synchronized (KAFKA_LOCK) {
      if (sharedKafka == null) {
        installHook();
        long t0 = System.nanoTime();
        sharedKafka = EmbeddedKafka.start(tempDir("gridline-test-kafka-"), 0);
        log.info("TestStores: started {} in {} ms", sharedKafka, (System.nanoTime() - t0) / 1_000_000);
      }
      return sharedKafka.bootstrapServers();
    }
  }

  /**
   * A private embedded PostgreSQL (temp data directory, free port, database {@code gridline}) that the
   * caller may stop and restart ({@code EmbeddedPg.start(pg.dataDir(), pg.port())}). Stopped and deleted at
   * JVM exit if still running.
   */
  public static EmbeddedPg ownPg() {
    installHook();
    return own(EmbeddedPg.start(tempDir("gridline-test-ownpg-"), 0, false, false));
  }

  /** A private embedded Redis that the caller may stop and restart; stopped and deleted at JVM exit. */
  public static EmbeddedRedis ownRedis() {
    installHook();
    return own(EmbeddedRedis.start(tempDir("gridline-test-ownredis-"), 0));
  }

  /** A private embedded Kafka broker that the caller may stop and restart; stopped and deleted at JVM exit. */
  public static EmbeddedKafka ownKafka() {
    installHook();
    return own(EmbeddedKafka.start(tempDir("gridline-test-ownkafka-"), 0));
  }

  /**
   * Stops pg if it still runs and starts it again on the same data directory and port (outage tests).
   * The new instance is stopped at JVM exit like the old one.
   */
  public static EmbeddedPg restart(EmbeddedPg pg) {
    pg.close();
    return own(EmbeddedPg.start(pg.dataDir(), pg.port(), false, false));
  }

  /** Stops redis if it still runs and starts it again on the same data directory and port. */
  public static EmbeddedRedis restart(EmbeddedRedis redis) {
    redis.close();
    return own(EmbeddedRedis.start(redis.dataDir(), redis.port()));
  }

  /** Stops kafka if it still runs and starts it again on the same data directory and port. */
  public static EmbeddedKafka restart(EmbeddedKafka kafka) {
    kafka.close();
    return own(EmbeddedKafka.start(kafka.dataDir(), kafka.port()));
  }

  /** True when a PostgreSQL server answers at the given libpq-style URL. */
  static boolean pgAnswers(String pgUrl) {
    Properties p = new Properties();
    p.setProperty("connectTimeout", "2");
    p.setProperty("socketTimeout", "5");
    try (Connection c = DriverManager.getConnection(pgJdbcUrl(pgUrl), p); Statement st = c.createStatement()) {
      st.execute("SELECT 1");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** True when a Redis server on 127.0.0.1:port answers PING with +PONG. */
  static boolean redisAnswers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[7];
      int n = 0;
      while (n < buf.length) {
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      return new String(buf, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean forceEmbedded() {
    return Boolean.parseBoolean(System.getProperty("gridline.test.embedded", System.getenv().getOrDefault("GRIDLINE_TEST_EMBEDDED", "false")));
  }

  private static String randomSuffix() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  private static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      synchronized (LOCK) {
        tempDirs.add(dir);
      }
      return dir;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T extends AutoCloseable> T own(T store) {
    synchronized (LOCK) {
      owned.add(store);
    }
    return store;
  }

  private static void installHook() {
    synchronized (LOCK) {
      if (!hookInstalled) {
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(TestStores::cleanUp, "gridline-teststores-cleanup"));
      }
    }
  }

  private static void cleanUp() {
    List<String> dbs;
    List<AutoCloseable> stores = new ArrayList<>();
    List<Path> dirs;
    String admin;
    boolean external;
    synchronized (LOCK) {
      dbs = new ArrayList<>(createdDatabases);
      admin = pgAdminUrl;
      external = pgExternal;
      stores.addAll(owned);
      if (sharedKafka != null) {
        stores.add(sharedKafka);
      }
      if (sharedRedis != null) {
        stores.add(sharedRedis);
      }
      if (sharedPg != null) {
        stores.add(sharedPg);
      }
      dirs = new ArrayList<>(tempDirs);
    }
    if (external && admin != null && !dbs.isEmpty()) {
      try (Connection c = DriverManager.getConnection(pgJdbcUrl(admin)); Statement st = c.createStatement()) {
        for (String db : dbs) {
          try {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
          } catch (SQLException ignored) {
            // best effort
          }
        }
      } catch (SQLException ignored) {
        // server gone: nothing to drop
      }
    }
    for (AutoCloseable store : stores) {
      try {
        store.close();
      } catch (Exception ignored) {
        // best effort at exit
      }
    }
    for (Path dir : dirs) {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
