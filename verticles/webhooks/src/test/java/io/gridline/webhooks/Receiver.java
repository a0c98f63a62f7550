package io.gridline.webhooks;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP receiver on 127.0.0.1 and a free port: answers the n-th request (1-based) with {@code status(n)} after
 * {@code delayMs} (a timer, never blocking), and keeps what it got.
 */
final class Receiver implements AutoCloseable {
  /** {@code sni}: the TLS server name the client indicated (null over plain http). */
  record Request(String uri, MultiMap headers, String body, int answered, String sni) {
    String header(String name) {
      return headers.get(name);
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  /** X-Gridline-Delivery → how many times this receiver answered it with a 2xx */
  final Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final HttpServer server;
  volatile IntUnaryOperator status;
  volatile long delayMs;

  private final String scheme;

  Receiver(Vertx vertx, IntUnaryOperator status, long delayMs) {
    this(vertx, status, delayMs, new HttpServerOptions());
  }

  /** With {@code options.isSsl()}, an https receiver (its URL says https). */
  Receiver(Vertx vertx, IntUnaryOperator status, long delayMs, HttpServerOptions options) {
    this.status = status;
    this.delayMs = delayMs;
    this.scheme = options.isSsl() ? "https" : "http";
    server = vertx.createHttpServer(options).requestHandler(req -> req.body().onSuccess(body -> {
      int n = count.incrementAndGet();
      int code = this.status.applyAsInt(n);
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
      String sni = req.connection().indicatedServerName();
      Runnable answer = () -> {
        requests.add(new Request(req.uri(), headers, body.toString(), code, sni));
        if (code / 100 == 2) {
          successes.computeIfAbsent(headers.get("X-Gridline-Delivery"), k -> new AtomicInteger()).incrementAndGet();
        }
        if (code / 100 == 3) {
          req.response().putHeader("Location", "/moved");
        }
        req.response().setStatusCode(code).end("ok");
      };
      if (this.delayMs > 0) {
        vertx.setTimer(this.delayMs, t -> answer.run());
      } else {
        answer.run();
      }
    }));
    try {
      server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Receiver ok(Vertx vertx) {
    return new Receiver(vertx, n -> 200, 0);
  }

  String url() {
    return scheme + "://127.0.0.1:" + server.actualPort() + "/hook?x=1";
  }

  int port() {
    return server.actualPort();
  }

  int received() {
    return count.get();
  }

  @Override
  public void close() {
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
