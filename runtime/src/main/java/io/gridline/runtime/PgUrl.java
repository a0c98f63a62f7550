package io.gridline.runtime;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A libpq-style PostgreSQL URI {@code postgresql://user[:password]@host[:port]/database}, the form of {@code pg.url}.
 * The node derives Flyway's JDBC URL from it.
 */
public record PgUrl(String host, int port, String database, String user, String password) {

  public static PgUrl parse(String url) {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a postgresql:// URI: " + e.getMessage());
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("expected postgresql://user[:password]@host:port/database");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + redact(url));
    }
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    String user = "postgres";
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    return new PgUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions o = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database).setUser(user);
    if (password != null) {
      o.setPassword(password);
    }
    return o;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  /** The URL with the password masked, for logs. */
  public String display() {
    return "postgresql://" + user + (password == null ? "" : ":***") + "@" + host + ":" + port + "/" + database;
  }

  private static String redact(String url) {
    return url.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
