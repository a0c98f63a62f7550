package io.gridline.webhooks;

import io.gridline.runtime.WebhookTargets.Target;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * POSTs one attempt to a checked target: connects to the address the SSRF guard checked (never resolves the name
 * again, so DNS rebinding cannot move it), while the Host header, TLS SNI and certificate check use the URL's host.
 * Redirects are not followed (a 3xx is a failure). The whole exchange — connect, send, status and body — has
 * {@code webhooks.timeout-ms}; the response body is read and dropped so the connection can be reused.
 */
final class WebhookSender {
  /** What came back: a status code, or no response with the reason. */
  record Response(int statusCode, String error) {
    boolean ok() {
      return statusCode >= 200 && statusCode < 300;
    }
  }

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final long timeoutMs;

  /**
   * @param trust what https receivers' certificates are checked against: null = the JDK trust store, otherwise
   *     {@link #trustOptions}
   */
  WebhookSender(Vertx vertx, long timeoutMs, int maxPerEndpoint, TrustOptions trust) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    HttpClientOptions options = new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
        .setVerifyHost(true)
        .setForceSni(true)
        .setKeepAlive(true)
        .setMaxRedirects(0);
    if (trust != null) {
      options.setTrustOptions(trust);
    }
    client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxPerEndpoint));
  }

  Future<Response> post(Target target, MultiMap headers, String body) {
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.tls())
        .setURI(pathAndQuery(target))
        .setFollowRedirects(false)
        .setConnectTimeout(timeoutMs)
        .setHeaders(headers);
    Promise<Response> done = Promise.promise();
    AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
    long timer = vertx.setTimer(timeoutMs, t -> {
      if (done.tryComplete(new Response(-1, "timeout after " + timeoutMs + " ms"))) {
        HttpClientRequest req = inFlight.get();
        if (req != null) {
          req.reset();
        }
      }
    });
    client.request(request)
        .compose(req -> {
          inFlight.set(req);
          if (done.future().isComplete()) {
            req.reset();
          }
          return req.send(Buffer.buffer(body));
        })
        .compose(resp -> {
          resp.handler(chunk -> { });
          return resp.end().map(v -> new Response(resp.statusCode(), ""));
        })
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          done.tryComplete(ar.succeeded() ? ar.result() : new Response(-1, describe(ar.cause())));
        });
    return done.future();
  }

  /**
   * {@code webhooks.tls.trust-path}: null when empty (the JDK trust store only); otherwise the JDK trust store's CAs
   * plus every certificate of that PEM file (read through {@link PemTrustOptions}), in one PKIX trust manager — so
   * hostname verification and the chain check work as for the JDK defaults. Blocking (reads files): not on an event
   * loop. Fails when the file cannot be read or holds no certificate.
   */
  static TrustOptions trustOptions(Vertx vertx, String trustPath) throws Exception {
    if (trustPath == null || trustPath.isBlank()) {
      return null;
    }
    X509Certificate[] extra;
    try {
      extra = x509(new PemTrustOptions().addCertPath(trustPath).getTrustManagerFactory(vertx)).getAcceptedIssuers();
    } catch (Exception e) {
      throw new IllegalArgumentException("webhooks.tls.trust-path " + trustPath + ": " + e.getMessage(), e);
    }
    if (extra.length == 0) {
      throw new IllegalArgumentException("webhooks.tls.trust-path " + trustPath + " holds no PEM certificate");
    }
    TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    for (X509Certificate ca : x509(jdk).getAcceptedIssuers()) {
      store.setCertificateEntry("jdk-" + n++, ca);
    }
    for (X509Certificate ca : extra) {
      store.setCertificateEntry("extra-" + n++, ca);
    }
    TrustManagerFactory both = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    both.init(store);
    return TrustOptions.wrap(both);
  }

  private static X509TrustManager x509(TrustManagerFactory factory) {
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new IllegalStateException("no X509TrustManager in " + factory.getAlgorithm());
  }

  private static String pathAndQuery(Target target) {
    String path = target.uri().getRawPath();
    String query = target.uri().getRawQuery();
    return (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
  }

  /**
   * The failure and, when it wraps one, its root cause — Netty's TLS failures say only "Failed to create SSL
   * connection" while the cause says why (no matching subject alternative name, unknown CA, …).
   */
  static String describe(Throwable err) {
    String text = oneLine(err);
    Throwable root = err;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == err ? text : text + " (" + oneLine(root) + ")";
  }

  private static String oneLine(Throwable err) {
    String message = err.getMessage();
    return err.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  Future<Void> close() {
    return client.close();
  }
}
