package io.gridline.node;

import io.gridline.contracts.node.NodeInfo;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.Listeners;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.security.MessageDigest;

/**
 * The node's operations endpoints on {@code ops.host:ops.port}, served by every node whatever it deploys:
 * {@code /health/live}, {@code /health/ready}, {@code /metrics}, {@code /cluster}. Bind it to an internal interface;
 * with {@code ops.token} set, every endpoint but {@code /health/live} also wants {@code Authorization: Bearer <token>}
 * (metrics and the cluster map tell an attacker a lot; a liveness probe must work without a secret).
 */
final class OpsServer {
  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  static Future<OpsServer> start(Vertx vertx, GridlineConfig config, Readiness readiness, ClusterDirectory directory) {
    Router router = Router.router(vertx);
    // no ops.token: the endpoints are open
    Handler<RoutingContext> token = tokenCheck(config.optString("ops.token").orElse(""));
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")
        .put("nodeId", config.nodeId())));
    router.get("/health/ready").handler(token).handler(HealthCheckHandler.createWithHealthChecks(readiness.checks()));
    router.get("/metrics").handler(token).handler(PrometheusScrapingHandler.create());
    router.get("/cluster").handler(token).handler(ctx -> directory.members()
        .onSuccess(members -> json(ctx, 200, clusterJson(members)))
        .onFailure(err -> json(ctx, 503, new JsonObject().put("error", "cluster map unavailable: " + err.getMessage()))));
    String host = config.string("ops.host");
    int port = config.port("ops.port");
    // the handler is in place before listen: no connection is accepted without it
    HttpServer server = vertx.createHttpServer().requestHandler(router);
    return Listeners.explainBind(server.listen(port, host), "ops.port", host, port).map(OpsServer::new);
  }

  /**
   * Lets a request through when {@code token} is empty or the request carries it as a bearer token. Both sides are
   * hashed first, so the comparison takes the same time whatever the token's length or how much of it matches.
   */
  static Handler<RoutingContext> tokenCheck(String token) {
    if (token.isEmpty()) {
      return RoutingContext::next;
    }
    byte[] expected = Tokens.hash(token);
    return ctx -> {
      String authorization = ctx.request().getHeader("Authorization");
      String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
          ? authorization.substring(7).trim() : "";
      if (MessageDigest.isEqual(Tokens.hash(presented), expected)) {
        ctx.next();
      } else {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gridline-ops\"");
        json(ctx, 401, new JsonObject().put("error", "send Authorization: Bearer <ops.token>"));
      }
    };
  }

  /** The bound port (the real one when {@code ops.port} is 0). */
  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }

  static JsonObject clusterJson(java.util.List<NodeInfo> members) {
    JsonArray list = new JsonArray();
    members.forEach(m -> list.add(new JsonObject()
        .put("nodeId", m.nodeId())
        .put("address", m.address())
        .put("verticles", new JsonArray(java.util.List.copyOf(m.verticles())))));
    return new JsonObject().put("members", list);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
