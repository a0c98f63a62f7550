package io.gridline.runtime;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A libpq-style PostgreSQL URI {@code postgresql://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…]},
 * the form of {@code pg.url} and {@code sink.pg-url}. The same URL gives the vertx-pg-client options and Flyway's JDBC
 * URL, so the pools and the migrations always reach the database the same way.
 *
 * <p>The libpq TLS parameters {@code sslmode}, {@code sslrootcert}, {@code sslcert} and {@code sslkey} are honoured;
 * any other parameter is refused, so a misspelt one ({@code sslmod=verify-full}) can never silently leave the link
 * unencrypted. Differences from libpq, on purpose: no {@code sslmode} means {@code disable} (libpq: {@code prefer}, which
 * falls back to plain text unnoticed); no {@code sslrootcert} means the JDK trust store (libpq:
 * {@code ~/.postgresql/root.crt}); {@code sslcert}/{@code sslkey} are used only when given.
 */
public record PgUrl(String host, int port, String database, String user, String password, Tls tls) {
  private static final List<String> PARAMETERS = List.of("sslmode", "sslrootcert", "sslcert", "sslkey");

  /**
   * The TLS part of the URL. {@code mode} as written (default {@link SslMode#DISABLE}); the paths are null when absent.
   */
  public record Tls(SslMode mode, String rootCert, String cert, String key) {
    static final Tls NONE = new Tls(SslMode.DISABLE, null, null, null);

    /**
     * libpq's rule: {@code require} with a root certificate verifies the chain as {@code verify-ca} does. Both
     * clients get this mode, so the pools and pgjdbc agree.
     */
    public SslMode effectiveMode() {
      return mode == SslMode.REQUIRE && rootCert != null ? SslMode.VERIFY_CA : mode;
    }

    /** True when the server certificate is checked against a CA (verify-ca, verify-full, require + sslrootcert). */
    public boolean verifiesCertificate() {
      SslMode m = effectiveMode();
      return m == SslMode.VERIFY_CA || m == SslMode.VERIFY_FULL;
    }
  }

  /**
   * @throws IllegalArgumentException saying what is wrong, never echoing the URL's password
   */
  public static PgUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      // the exception's own message repeats the whole input, password included: keep only the reason and position
      throw new IllegalArgumentException("not a postgresql:// URI: " + e.getReason()
          + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("expected postgresql://user[:password]@host:port/database");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + redact(url)
          + " (percent-encode special characters of the password, e.g. / as %2F)");
    }
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    String user = "postgres";
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0], "the user name");
      password = parts.length > 1 ? decode(parts[1], "the password") : null;
    }
    return new PgUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password,
        tls(uri.getRawQuery()));
  }

  private static Tls tls(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name");
        // only the name goes into messages: a libpq parameter such as password= may hold a secret
        if (!PARAMETERS.contains(name)) {
          throw new IllegalArgumentException("unsupported parameter '" + name + "' (supported: "
              + String.join(", ", PARAMETERS) + ")");
        }
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "parameter " + name).trim();
        if (value.isEmpty()) {
          throw new IllegalArgumentException("parameter " + name + " has no value");
        }
        if (params.put(name, value) != null) {
          throw new IllegalArgumentException("parameter " + name + " is given twice");
        }
      }
    }
    if (params.isEmpty()) {
      return Tls.NONE;
    }
    SslMode mode = sslMode(params.getOrDefault("sslmode", "disable"));
    String rootCert = params.get("sslrootcert");
    String cert = params.get("sslcert");
    String key = params.get("sslkey");
    if (mode == SslMode.DISABLE && (rootCert != null || cert != null || key != null)) {
      throw new IllegalArgumentException("sslrootcert, sslcert and sslkey need TLS: add sslmode=verify-full "
          + "(or verify-ca, require)");
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("sslcert and sslkey go together: give both or neither");
    }
    Tls tls = new Tls(mode, rootCert, cert, key);
    if (cert != null && tls.verifiesCertificate() && rootCert == null) {
      // pgjdbc checks against the JDK trust store only through its DefaultJavaSSLFactory, which sends no client key
      throw new IllegalArgumentException("a client certificate (sslcert, sslkey) with sslmode=" + mode.value
          + " needs sslrootcert too (the migrations' JDBC driver cannot combine it with the JDK trust store)");
    }
    return tls;
  }

  private static SslMode sslMode(String value) {
    for (SslMode m : SslMode.values()) {
      if (m.value.equals(value.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full;"
        + " got '" + value + "'");
  }

  /**
   * Blocking (file system): checks that the files the URL names are readable, so a wrong path stops the node at start
   * with the parameter's name instead of failing every later connection.
   *
   * @throws IllegalArgumentException naming the parameter and the path
   */
  public void requireReadableFiles() {
    requireReadable("sslrootcert", tls.rootCert());
    requireReadable("sslcert", tls.cert());
    requireReadable("sslkey", tls.key());
  }

  private static void requireReadable(String parameter, String path) {
    if (path != null && !Files.isReadable(Path.of(path))) {
      throw new IllegalArgumentException(parameter + " " + path + " is not a readable file");
    }
  }

  /** Options for vertx-pg-client; only paths are set, Vert.x reads the files off the event loop when it connects. */
  public PgConnectOptions connectOptions() {
    // prepared statements are parsed once per connection, not before every execution (a round trip and the server's
    // parse saved on each query; JFR showed the prepare step on every LoRaWAN uplink statement)
    PgConnectOptions o = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setCachePreparedStatements(true);
    if (password != null) {
      o.setPassword(password);
    }
    o.setSslMode(tls.effectiveMode());
    if (tls.effectiveMode() != SslMode.DISABLE) {
      o.setSslOptions(sslOptions());
    }
    return o;
  }

  private ClientSSLOptions sslOptions() {
    ClientSSLOptions ssl = new ClientSSLOptions();
    if (tls.verifiesCertificate()) {
      ssl.setTrustOptions(tls.rootCert() != null
          ? new ServerTrust(new PemTrustOptions().addCertPath(tls.rootCert()), server(), "sslrootcert " + tls.rootCert())
          : new ServerTrust(new JdkTrustStore(), server(), "the JDK trust store (no sslrootcert)"));
      ssl.setHostnameVerificationAlgorithm(tls.effectiveMode() == SslMode.VERIFY_FULL ? "HTTPS" : "");
    } else {
      // allow, prefer, require without a root certificate: encrypted, the server not authenticated (as libpq)
      ssl.setTrustAll(true).setHostnameVerificationAlgorithm("");
    }
    if (tls.cert() != null) {
      ssl.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert()).setKeyPath(tls.key()));
    }
    return ssl;
  }

  private String server() {
    return "PostgreSQL " + host + ":" + port;
  }

  /**
   * Flyway's JDBC URL with the same TLS settings for pgjdbc. Blocking when {@code sslkey} is set (reads the key to
   * tell pgjdbc its algorithm): call it on a worker thread, as the migrations are.
   *
   * <p>pgjdbc limits: the key must be PKCS#8 ({@code BEGIN PRIVATE KEY}, unencrypted) or DER; an encrypted key
   * ({@code sslpassword}) is not supported.
   */
  public String jdbcUrl() {
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/')
        .append(encode(database));
    jdbc.append("?sslmode=").append(tls.effectiveMode().value);
    if (tls.rootCert() != null) {
      jdbc.append("&sslrootcert=").append(encode(tls.rootCert()));
    } else if (tls.verifiesCertificate()) {
      // pgjdbc's default would be ~/.postgresql/root.crt; Gridline's rule is the JDK trust store
      jdbc.append("&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
    }
    if (tls.cert() != null) {
      jdbc.append("&sslcert=").append(encode(tls.cert())).append("&sslkey=").append(encode(tls.key()));
      String algorithm = pemKeyAlgorithm(Path.of(tls.key()));
      if (algorithm != null) {
        jdbc.append("&pemKeyAlgorithm=").append(algorithm);
      }
    }
    return jdbc.toString();
  }

  /**
   * pgjdbc reads a PEM key as RSA unless told otherwise ({@code pemKeyAlgorithm}); an EC key, what Gridline's own CA
   * issues, needs {@code EC}. Null for a DER key (pgjdbc finds the algorithm itself).
   */
  static String pemKeyAlgorithm(Path keyFile) {
    String pem;
    try {
      // ISO-8859-1 maps every byte: a DER file reads without error and simply has no PEM header
      pem = new String(Files.readAllBytes(keyFile), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("sslkey " + keyFile + " is not readable", e);
    }
    if (!pem.contains("-----BEGIN")) {
      return null;
    }
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("sslkey " + keyFile + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY);"
          + " convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        return algorithm;
      } catch (java.security.GeneralSecurityException wrongAlgorithm) {
        // try the next one
      }
    }
    throw new IllegalArgumentException("sslkey " + keyFile + " holds a private key of an unsupported algorithm");
  }

  /** The URL with the password masked, for logs; the TLS parameters are shown (paths, no secrets). */
  public String display() {
    StringBuilder s = new StringBuilder("postgresql://").append(user).append(password == null ? "" : ":***")
        .append('@').append(host).append(':').append(port).append('/').append(database);
    if (tls != Tls.NONE) {
      s.append("?sslmode=").append(tls.mode().value);
      if (tls.rootCert() != null) {
        s.append("&sslrootcert=").append(tls.rootCert());
      }
      if (tls.cert() != null) {
        s.append("&sslcert=").append(tls.cert()).append("&sslkey=").append(tls.key());
      }
    }
    return s.toString();
  }

  /**
   * Masks everything between the user name and the last '@': a password may hold '/', '@' or ':' unencoded, which is
   * often why the URL did not parse in the first place.
   */
  static String redact(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    return colon < 0 ? url : url.substring(0, scheme + 3) + userInfo.substring(0, colon) + ":***" + url.substring(at);
  }

  /**
   * Percent-decoding as libpq does it: '+' stays '+' (URLDecoder alone would make it a space, breaking passwords and
   * paths). URLDecoder's own message quotes the bad escape, which may be part of a password: name the part instead.
   */
  private static String decode(String s, String what) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " holds an invalid %-escape (write % itself as %25)");
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
