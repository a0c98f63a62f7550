package io.gridline.mqtt;

import io.gridline.contracts.registry.DeviceChanged;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.UntrustedText;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Handler;
import io.vertx.mqtt.MqttEndpoint;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where CONNECTs arrive: {@link #handle} authenticates, answers CONNACK and hands the accepted device to a
 * {@link DeviceConnection}. A second connection with the same client id on this instance takes the session over.
 */
final class DeviceGate implements Handler<MqttEndpoint> {
  private static final Logger log = LoggerFactory.getLogger(DeviceGate.class);
  /** Anyone who reaches the port can provoke a refusal: a budget of log lines, and the client id quoted escaped. */
  private static final LogThrottle refusals = new LogThrottle(log, 20);
  private final DeviceAuthenticator authenticator;
  private final DeviceConnection.Shared shared;
  private final Map<String, DeviceConnection> live = new HashMap<>();

  DeviceGate(DeviceAuthenticator authenticator, DeviceConnection.Shared shared) {
    this.authenticator = authenticator;
    this.shared = shared;
  }

  @Override
  public void handle(MqttEndpoint endpoint) {
    ConnectContext ctx = new ConnectContext(endpoint);
    endpoint.closeHandler(v -> ctx.abandoned = true); // replaced by the connection's own once accepted
    authenticator.authenticate(ctx)
        .onSuccess(this::accept)
        .onFailure(err -> refuse(ctx, err));
  }

  private void accept(ConnectContext ctx) {
    MqttEndpoint endpoint = ctx.endpoint;
    if (ctx.abandoned) {
      shared.quota().release();
      return;
    }
    String clientId = endpoint.clientIdentifier();
    DeviceConnection previous = live.remove(clientId);
    if (previous != null) {
      previous.takenOver();
    }
    long requestedExpiry = ctx.mqtt5() ? SessionStore.expiryProperty(endpoint.connectProperties()) : -1;
    long expiry = shared.settings().sessionExpirySeconds(ctx.mqtt5(), endpoint.isCleanSession(), requestedExpiry);
    var opened = shared.sessions().open(clientId, endpoint.isCleanSession(), expiry);
    if (opened.getValue()) {
      // a resumed session's subscriptions route commands at once, as if the device had subscribed again
      log.debug("device {}: session resumed with {} subscription(s)", ctx.device.id(),
          opened.getKey().subscriptionCount());
    }
    DeviceConnection connection = new DeviceConnection(shared, endpoint, ctx.device, opened.getKey(), ctx.receivedAt);
    live.put(clientId, connection);
    connection.start(ctx.receivedAt, () -> live.remove(clientId, connection));
    endpoint.accept(opened.getValue(), connackProperties(requestedExpiry, expiry));
  }

  /** MQTT 5: a server that shortens the requested session expiry interval says so in CONNACK. */
  private static MqttProperties connackProperties(long requestedExpiry, long grantedExpiry) {
    if (requestedExpiry <= grantedExpiry) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
        (int) grantedExpiry));
    return props;
  }

  /**
   * The registry deleted the device, or reissued or revoked its credentials: its connection on this instance ends (the
   * device reconnects with what it holds now, and is checked again).
   */
  void credentialsEnded(String mac, DeviceChanged.Change change) {
    DeviceConnection connection = live.get(ClientIds.of(mac));
    if (connection != null) {
      if (change == DeviceChanged.Change.DELETED) {
        connection.deleted();
      } else {
        connection.credentialsChanged();
      }
    }
  }

  private void refuse(ConnectContext ctx, Throwable err) {
    if (ctx.slotReserved) {
      shared.quota().release();
    }
    String reason = err instanceof Refusal r ? r.reason() : "error";
    shared.meters().connectRefused(reason);
    refusals.info("CONNECT from {} ({}) refused: {} ({})", UntrustedText.forLog(ctx.endpoint.clientIdentifier()),
        ctx.endpoint.remoteAddress(), reason, UntrustedText.forLog(err.getMessage()));
    if (!ctx.abandoned) {
      ctx.endpoint.reject(returnCode(reason, ctx.mqtt5()));
    }
  }

  private static MqttConnectReturnCode returnCode(String reason, boolean v5) {
    return switch (reason) {
      case Refusal.CAPACITY -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
          : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
      case Refusal.CONNECT_RATE -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED
          : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
      case Refusal.UNKNOWN_CLIENT_ID, Refusal.UNREGISTERED, Refusal.NOT_AUTHORIZED ->
          v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
              : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
      default -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
          : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
    };
  }
}
