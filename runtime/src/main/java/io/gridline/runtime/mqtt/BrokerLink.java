package io.gridline.runtime.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection to an existing MQTT broker, kept up: connects, hands the new client to {@code onConnected}
 * (subscribe, and wait for what must be in place), and after a refused connection, a failed {@code onConnected} or a
 * close connects again with backoff (1 s doubling to 30 s). {@link #probe} is the readiness check: down, with the
 * reason, until connected and set up. Used by the MQTT bridge's upstream mode and the lorawan verticle's gateway-bridge
 * backend. One event-loop context drives it.
 */
public final class BrokerLink {
  private static final Logger log = LoggerFactory.getLogger(BrokerLink.class);
  private static final long FIRST_BACKOFF_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final String name;
  private final String display;
  private final String host;
  private final int port;
  private final MqttClientOptions options;
  private final Consumer<MqttClient> handlers;
  private final Function<MqttClient, Future<Void>> onConnected;
  private MqttClient client;
  private boolean connected;
  private boolean stopped;
  private long backoffMs = FIRST_BACKOFF_MS;
  private long reconnectTimer = -1;
  private String problem = "not connected yet";

  /**
   * @param name        what the broker is to this link, for logs and readiness ("upstream broker")
   * @param display     the broker's address without credentials ({@code ssl://host:port})
   * @param handlers    sets the handlers (publish, subscription acknowledgement) of each new client
   * @param onConnected runs after each CONNACK; the link is up when it succeeds, and reconnects when it fails
   */
  public BrokerLink(Vertx vertx, String name, String display, String host, int port, MqttClientOptions options,
      Consumer<MqttClient> handlers, Function<MqttClient, Future<Void>> onConnected) {
    this.vertx = vertx;
    this.name = name;
    this.display = display;
    this.host = host;
    this.port = port;
    this.options = options;
    this.handlers = handlers;
    this.onConnected = onConnected;
  }

  /** Returns at once; connecting goes on in the background. */
  public void start() {
    connect();
  }

  private void connect() {
    if (stopped) {
      return;
    }
    MqttClient c = MqttClient.create(vertx, options);
    client = c;
    handlers.accept(c);
    c.closeHandler(v -> onClosed(c)).exceptionHandler(err -> log.debug("{} connection error", name, err));
    c.connect(port, host)
        .compose(ack -> {
          if (stopped || c != client) {
            return c.disconnect(); // stopped, or replaced, while connecting
          }
          connected = true;
          backoffMs = FIRST_BACKOFF_MS;
          return onConnected.apply(c).onSuccess(v -> {
            if (c == client) {
              problem = null;
            }
          });
        })
        .onFailure(err -> {
          if (stopped) {
            return;
          }
          problem = "cannot connect to " + display + ": " + err.getMessage();
          log.warn("{}: {}", name, problem);
          if (c.isConnected()) {
            c.disconnect();
          } else {
            retryLater(c);
          }
        });
  }

  /** Whether {@code c} is this link's live connection (a message from an older one is stale). */
  public boolean isCurrent(MqttClient c) {
    return c == client && c.isConnected();
  }

  /** The connection, while the link is up. */
  public Optional<MqttClient> client() {
    return up() ? Optional.of(client) : Optional.empty();
  }

  public boolean up() {
    return connected && problem == null && !stopped;
  }

  /** Why the link is not up (null when it is). */
  public String problem() {
    return problem;
  }

  /** Marks the link down for {@code why} without closing it (a refused subscription). */
  public void down(String why) {
    problem = why;
    log.warn("{}: {}", name, why);
  }

  /** Closes the connection for {@code why} and connects again (the broker then redelivers what was not acknowledged). */
  public void reconnect(MqttClient c, String why) {
    problem = why;
    log.warn("{}: {}; reconnecting", name, why);
    if (c == client && c.isConnected()) {
      c.disconnect();
    }
  }

  private void onClosed(MqttClient c) {
    if (c != client) {
      return;
    }
    if (connected) {
      connected = false;
      if (problem == null) {
        problem = "connection to " + display + " closed";
      }
      log.warn("{}: {}", name, problem);
    }
    retryLater(c);
  }

  private void retryLater(MqttClient c) {
    if (stopped || c != client || reconnectTimer >= 0) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    reconnectTimer = vertx.setTimer(delay, t -> {
      reconnectTimer = -1;
      connect();
    });
  }

  /** The readiness check: up, or down with the reason and the retry period. */
  public Future<Void> probe() {
    return up() ? Future.succeededFuture()
        : Future.failedFuture(name + " " + display + " unreachable: " + problem + " (retrying every "
            + backoffMs / 1000 + " s at most)");
  }

  public Future<Void> stop() {
    stopped = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    MqttClient c = client;
    client = null;
    Future<Void> closed = c != null && c.isConnected() ? c.disconnect() : Future.succeededFuture();
    return closed.recover(err -> Future.succeededFuture()).andThen(ar -> connected = false);
  }
}
