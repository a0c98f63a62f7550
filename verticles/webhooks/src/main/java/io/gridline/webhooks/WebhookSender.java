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
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

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

  WebhookSender(Vertx vertx, long timeoutMs, int maxPerEndpoint) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    HttpClientOptions options = new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
        .setVerifyHost(true)
        .setForceSni(true)
        .setKeepAlive(true)
        .setMaxRedirects(0);
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

  private static String pathAndQuery(Target target) {
    String path = target.uri().getRawPath();
    String query = target.uri().getRawQuery();
    return (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
  }

  private static String describe(Throwable err) {
    String message = err.getMessage();
    return err.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  Future<Void> close() {
    return client.close();
  }
}
