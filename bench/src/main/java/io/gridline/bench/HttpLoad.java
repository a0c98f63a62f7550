package io.gridline.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Closed-loop HTTP load: {@code clients} concurrent loops, each sending its next request when the previous answered,
 * for a fixed time. Counts only the expected status; anything else is an error.
 */
final class HttpLoad {
  record Request(HttpMethod method, String path, String body) {}

  record Result(long ok, long errors, double seconds, double p50Ms, double p99Ms) {
    double perSecond() {
      return ok / seconds;
    }
  }

  private final Vertx vertx;
  private final WebClient client;

  HttpLoad(Vertx vertx, int clients) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(clients));
  }

  Result run(int port, String bearer, int clients, long durationMs, int expectedStatus, IntFunction<Request> next)
      throws Exception {
    long[] latencies = new long[4_000_000];
    AtomicInteger count = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger seq = new AtomicInteger();
    long end = System.nanoTime() + durationMs * 1_000_000;
    long t0 = System.nanoTime();
    Promise<Void> all = Promise.promise();
    AtomicInteger running = new AtomicInteger(clients);
    for (int c = 0; c < clients; c++) {
      vertx.runOnContext(v -> sendNext(port, bearer, next, seq, end, latencies, count, errors, expectedStatus, () -> {
        if (running.decrementAndGet() == 0) {
          all.complete();
        }
      }));
    }
    all.future().await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    int n = Math.min(count.get(), latencies.length);
    long[] sorted = Stats.sorted(latencies, n);
    return new Result(count.get(), errors.get(), seconds, Stats.percentile(sorted, n, 50), Stats.percentile(sorted, n, 99));
  }

  /** One client's loop: each response sends the next request from its handler, so no future chain grows. */
  private void sendNext(int port, String bearer, IntFunction<Request> next, AtomicInteger seq, long end,
      long[] latencies, AtomicInteger count, AtomicInteger errors, int expectedStatus, Runnable finished) {
    if (System.nanoTime() >= end) {
      finished.run();
      return;
    }
    Request r = next.apply(seq.getAndIncrement());
    long start = System.nanoTime();
    var req = client.request(r.method(), port, "127.0.0.1", r.path()).putHeader("Authorization", "Bearer " + bearer);
    Future<HttpResponse<Buffer>> sent = r.body() == null ? req.send()
        : req.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(r.body()));
    sent.onComplete(ar -> {
      long took = System.nanoTime() - start;
      if (ar.succeeded() && ar.result().statusCode() == expectedStatus) {
        int i = count.getAndIncrement();
        if (i < latencies.length) {
          latencies[i] = took;
        }
      } else {
        errors.incrementAndGet();
      }
      sendNext(port, bearer, next, seq, end, latencies, count, errors, expectedStatus, finished);
    });
  }

  void close() {
    client.close();
  }
}
