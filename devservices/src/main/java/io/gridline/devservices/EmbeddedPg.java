package io.gridline.devservices;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * An embedded PostgreSQL 17 server (zonky binaries, a child process) with a database {@code gridline}.
 *
 * <p>Listens on 127.0.0.1 with trust authentication for user {@code postgres}. The data directory is kept
 * across restarts: the cluster (PGDATA) is {@code <dataDir>/pgdata}, the server's own log
 * {@code <dataDir>/server.log}.
 *
 * <p>PostgreSQL refuses to run as root; when the JVM runs as root, zonky starts the server inside a user
 * namespace ({@code unshare -U}), where it runs as an unprivileged user. That needs unprivileged user
 * namespaces (the default on Debian and Ubuntu); without them the start fails with
 * {@code "root" execution of the PostgreSQL server is not permitted}.
 */
public final class EmbeddedPg implements AutoCloseable {

  /** The server's major version, for log lines. */
  public static final String VERSION = "17";
  /** The database {@link #start} creates. */
  public static final String DATABASE = "gridline";

  private final EmbeddedPostgres pg;
  private final Path dataDir;
  private boolean closed;

  private EmbeddedPg(EmbeddedPostgres pg, Path dataDir) {
    this.pg = pg;
    this.dataDir = dataDir;
  }

  /**
   * Starts PostgreSQL on 127.0.0.1:port (0: a free port) on dataDir (initialised on first use, kept
   * afterwards), durable (fsync and synchronous commit on), and creates database {@code gridline} if missing.
   *
   * @throws IllegalStateException if the port is taken or the server does not start
   */
  public static EmbeddedPg start(Path dataDir, int port) {
    return start(dataDir, port, true);
  }

  /**
   * As {@link #start(Path, int)}; durable=false turns fsync and synchronous commit off, for throw-away test
   * servers (a power loss may then corrupt the data directory).
   */
  public static EmbeddedPg start(Path dataDir, int port, boolean durable) {
    return start(dataDir, port, durable, true);
  }

  /**
   * As {@link #start(Path, int, boolean)} with extra server settings ({@code postgresql.conf} names), applied after
   * the defaults above so they may replace them: e.g. {@code ssl=on}, {@code ssl_cert_file}, {@code ssl_key_file},
   * {@code hba_file} for a TLS test server. A key file must be mode 0600; as root the server runs in a user namespace
   * where files owned by the JVM's user count as its own, so the JVM's user must own it too.
   */
  public static EmbeddedPg start(Path dataDir, int port, boolean durable, Map<String, String> settings) {
    return start(dataDir, port, durable, true, settings);
  }

  /**
   * stopHook=false: no JVM shutdown hook of its own, for a caller that stops its servers itself (the test kit's
   * {@code TestStores} stops and deletes them in one hook).
   */
  public static EmbeddedPg start(Path dataDir, int port, boolean durable, boolean stopHook) {
    return start(dataDir, port, durable, stopHook, Map.of());
  }

  private static EmbeddedPg start(Path dataDir, int port, boolean durable, boolean stopHook, Map<String, String> settings) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
    Quiet.postgresLoggers();
    Path dir = dataDir.toAbsolutePath().normalize();
    // initdb wants an empty directory: PGDATA is a subdirectory, the log file sits next to it
    Path pgdata = dir.resolve("pgdata");
    Path logFile = dir.resolve("server.log");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create PostgreSQL data directory " + dir, e);
    }
    if (!Leftovers.lockFree(pgdata.resolve("epg-lock"))) {
      throw new IllegalStateException("cannot start embedded PostgreSQL: " + dir + " is used by another running server");
    }
    Leftovers.stop(pgdata.resolve("postmaster.pid"), "postgres", "PostgreSQL", "INT", 15);
    if (port != 0) {
      FreePorts.requireFree(port, "PostgreSQL");
    }
    int p = port == 0 ? FreePorts.find() : port;
    Redirect serverLog = Redirect.appendTo(logFile.toFile());
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
        .setDataDirectory(pgdata)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(stopHook)
        .setPort(p)
        .setPGStartupWait(Duration.ofSeconds(30))
        .setOutputRedirector(serverLog)
        .setErrorRedirector(serverLog)
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "200")
        .setServerConfig("fsync", durable ? "on" : "off")
        .setServerConfig("synchronous_commit", durable ? "on" : "off")
        .setServerConfig("full_page_writes", durable ? "on" : "off");
    settings.forEach(b::setServerConfig);
    EmbeddedPostgres pg;
    try {
      pg = b.start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("embedded PostgreSQL did not start on 127.0.0.1:" + p + " (data in " + dataDir
          + ", server log in " + logFile + "): " + e, e);
    }
    EmbeddedPg result = new EmbeddedPg(pg, dir);
    try {
      result.createDatabaseIfMissing(DATABASE);
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
    return result;
  }

  /** {@code postgresql://postgres@127.0.0.1:<port>/gridline}. */
  public String url() {
    return url(DATABASE);
  }

  /** {@code postgresql://postgres@127.0.0.1:<port>/<database>}. */
  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port() + "/" + database;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/gridline?user=postgres}. */
  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres";
  }

  public int port() {
    return pg.getPort();
  }

  /** The absolute data directory (pass it to {@link #start} again to restart with the same data). */
  public Path dataDir() {
    return dataDir;
  }

  /** Creates the database unless it exists; returns true if it was created. */
  public boolean createDatabaseIfMissing(String database) {
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("database name " + database);
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"))) {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        ps.setString(1, database);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE \"" + database + "\"");
      }
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database + " on " + url("postgres") + ": " + e.getMessage(), e);
    }
  }

  /** Stops the server (fast shutdown) and waits for it. Idempotent; a concurrent caller waits for the first. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        pg.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop embedded PostgreSQL on " + url(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedPg[" + url() + ", " + dataDir + "]";
  }
}
