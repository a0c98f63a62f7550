package io.gridline.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trust options for a store's server certificate that say why one was refused. vertx-pg-client reports a refused
 * certificate only as "SSL handshake failed", without a cause, so an operator would not learn from it that the CA
 * file is the wrong one or the certificate names another host. This wraps the real check (chain and, when asked for,
 * host name) and, on refusal, logs one WARN naming the store and the trust source, and throws a certificate
 * exception saying the same, for the clients that do pass the cause on.
 */
final class ServerTrust implements TrustOptions {
  private static final Logger log = LoggerFactory.getLogger(ServerTrust.class);
  // a server refusing every reconnect of a pool must not fill the log
  private static final LogThrottle REFUSALS = new LogThrottle(log, 1);

  private final TrustOptions delegate;
  private final String server;
  private final String source;

  /**
   * @param delegate the trust that decides (PEM CA file or the JDK trust store)
   * @param server what is being reached, for the message, e.g. {@code PostgreSQL db.internal:5432}
   * @param source where the trusted CAs come from, e.g. {@code sslrootcert /etc/gridline/ca.pem}
   */
  ServerTrust(TrustOptions delegate, String server, String source) {
    this.delegate = delegate;
    this.server = server;
    this.source = source;
  }

  @Override
  public TrustOptions copy() {
    return new ServerTrust(delegate.copy(), server, source);
  }

  @Override
  public TrustManagerFactory getTrustManagerFactory(Vertx vertx) throws Exception {
    TrustManager[] managers = delegate.getTrustManagerFactory(vertx).getTrustManagers();
    for (TrustManager m : managers) {
      if (m instanceof X509ExtendedTrustManager x509) {
        return TrustOptions.wrap(new Explaining(x509)).getTrustManagerFactory(vertx);
      }
    }
    throw new IllegalStateException("no X.509 trust manager in " + source);
  }

  @Override
  public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) {
    return null;
  }

  private final class Explaining extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager checks;

    Explaining(X509ExtendedTrustManager checks) {
      this.checks = checks;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        checks.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        throw refused(chain, e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      try {
        checks.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        throw refused(chain, e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        checks.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        throw refused(chain, e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checks.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checks.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      checks.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return checks.getAcceptedIssuers();
    }
  }

  private CertificateException refused(X509Certificate[] chain, CertificateException e) {
    String subject = chain != null && chain.length > 0 ? chain[0].getSubjectX500Principal().getName() : "none";
    String reason = String.valueOf(e.getMessage());
    String why = reason.contains("No subject alternative") || reason.contains("No name matching")
        ? "does not name the host it was reached at" : "is not signed by a CA of " + source;
    String message = "TLS to " + server + " refused: its certificate (" + subject + ") " + why + " (" + reason + ")";
    REFUSALS.warn("{}", message);
    return new CertificateException(message, e);
  }
}
