package io.gridline.mqtt;

import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.DeviceCommand;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted device connection. {@link #onPublish} is the hot path: size, rate, ACL, QoS 2 duplicate check, Kafka,
 * then the acknowledgement — PUBACK / PUBREC only once Kafka acknowledged the record.
 */
final class DeviceConnection {
  private static final Logger log = LoggerFactory.getLogger(DeviceConnection.class);

  /** What the connection shares with every other one on this verticle instance. */
  record Shared(MqttSettings settings, TelemetryWriter writer, DevicePresence presence, SessionStore sessions,
      ConnectionQuota quota, BridgeMeters meters, String nodeId, DeviceOwnership ownership, LiveConnections live) {}

  private final Shared shared;
  private final MqttEndpoint endpoint;
  private final MqttDevice device;
  private final SessionStore.Session session;
  private final PublishRate rate;
  private final String connectionId;
  private boolean disconnectedCleanly;
  private boolean closed;
  private Runnable onClosed = () -> {};
  private LiveConnections.Entry liveEntry;

  DeviceConnection(Shared shared, MqttEndpoint endpoint, MqttDevice device, SessionStore.Session session,
      long connectedAt) {
    this.shared = shared;
    this.endpoint = endpoint;
    this.device = device;
    this.session = session;
    this.rate = new PublishRate(shared.settings().maxPublishRate());
    this.connectionId = shared.nodeId() + "/" + endpoint.clientIdentifier() + "/" + connectedAt;
  }

  /** @param onClosed runs once when the connection ends */
  void start(long connectedAt, Runnable onClosed) {
    this.onClosed = onClosed;
    endpoint.publishAutoAck(false);
    endpoint.publishHandler(msg -> onPublish(PublishContext.of(msg)));
    endpoint.publishReleaseHandler(this::onRelease);
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(msg -> {
      msg.topics().forEach(session::unsubscribed);
      endpoint.unsubscribeAcknowledge(msg.messageId());
    });
    // QoS 2 commands: the device's PUBREC is answered with PUBREL (its PUBACK / PUBCOMP need no answer)
    endpoint.publishReceivedHandler(endpoint::publishRelease);
    endpoint.disconnectMessageHandler(msg -> disconnectedCleanly = msg.code() != MqttDisconnectReasonCode.WITH_WILL_MESSAGE);
    endpoint.closeHandler(v -> onClose());
    endpoint.exceptionHandler(err -> log.debug("device {}: {}", device.id(), err.getMessage()));
    shared.presence().online(device, connectionId, connectedAt);
    liveEntry = shared.live().add(device.id(), this, Vertx.currentContext());
    shared.ownership().claim(device, connectionId);
  }

  // ---- commands down (from CommandReceiver, on this connection's event loop)

  /**
   * Publishes a command on the device's subscription: one made on this connection or, with a resumed persistent
   * session, on an earlier one (the session keeps them). A device that has not subscribed to a matching filter gets
   * nothing (an MQTT server only sends what a client subscribed to): the result says {@code NOT_SUBSCRIBED}. The QoS is
   * the lower of the command's and the subscription's, as MQTT prescribes.
   */
  Future<CommandResult> deliver(DeviceCommand command) {
    if (closed || !endpoint.isConnected()) {
      return Future.succeededFuture(new CommandResult(command.commandId(), CommandResult.Outcome.OFFLINE,
          "the device disconnected"));
    }
    Integer granted = session.grantedQos(command.topic());
    if (granted == null) {
      return Future.succeededFuture(new CommandResult(command.commandId(), CommandResult.Outcome.NOT_SUBSCRIBED,
          "the device has no subscription matching " + command.topic()));
    }
    Buffer payload = Buffer.buffer(Base64.getDecoder().decode(command.payloadBase64()));
    MqttQoS qos = MqttQoS.valueOf(Math.min(command.qos(), granted));
    return endpoint.publish(command.topic(), payload, qos, false, false)
        .map(id -> new CommandResult(command.commandId(), CommandResult.Outcome.DELIVERED, ""));
  }

  // ---- publish: the hot path

  void onPublish(PublishContext ctx) {
    shared.meters().publishReceived(ctx.payload().length);
    checkPayloadSize(ctx)
        .compose(this::checkRate)
        .compose(this::checkAcl)
        .compose(this::writeOnce)
        .onSuccess(this::acknowledge)
        .onFailure(err -> refuse(ctx, err));
  }

  private Future<PublishContext> checkPayloadSize(PublishContext ctx) {
    return ctx.payload().length > shared.settings().maxPayloadBytes()
        ? Future.failedFuture(new Refusal(Refusal.PAYLOAD_TOO_LARGE, ctx.payload().length + " bytes"))
        : Future.succeededFuture(ctx);
  }

  private Future<PublishContext> checkRate(PublishContext ctx) {
    return ctx.will() || rate.tryTake()
        ? Future.succeededFuture(ctx)
        : Future.failedFuture(new Refusal(Refusal.RATE, "over mqtt.max-publish-rate"));
  }

  private Future<PublishContext> checkAcl(PublishContext ctx) {
    return TopicAcl.mayPublish(endpoint.clientIdentifier(), ctx.topic())
        ? Future.succeededFuture(ctx)
        : Future.failedFuture(new Refusal(Refusal.ACL, "may not publish to " + ctx.topic()));
  }

  /** QoS 2: a retransmitted packet id still awaiting PUBREL reuses the first write instead of writing again. */
  private Future<PublishContext> writeOnce(PublishContext ctx) {
    if (ctx.qos() == 2 && !ctx.will()) {
      Future<Void> earlier = session.inFlight(ctx.messageId());
      if (earlier != null) {
        return earlier.map(ctx);
      }
      Future<Void> write = writeToKafka(ctx);
      session.track(ctx.messageId(), write);
      return write.map(ctx);
    }
    return writeToKafka(ctx).map(ctx);
  }

  private Future<Void> writeToKafka(PublishContext ctx) {
    shared.presence().seen(device);
    return shared.writer().write(new RawTelemetry(device.tenantId(), device.id(), device.mac(), ctx.topic(),
        endpoint.clientIdentifier(), ctx.qos(), ctx.payload(), ctx.receivedAt()));
  }

  private void acknowledge(PublishContext ctx) {
    shared.meters().publishAcked();
    if (ctx.will() || closed || !endpoint.isConnected()) {
      return;
    }
    if (ctx.qos() == 1) {
      endpoint.publishAcknowledge(ctx.messageId());
    } else if (ctx.qos() == 2) {
      endpoint.publishReceived(ctx.messageId());
    }
  }

  private void onRelease(int messageId) {
    session.released(messageId);
    if (!closed && endpoint.isConnected()) {
      endpoint.publishComplete(messageId);
    }
  }

  /**
   * MQTT 5 says why with a reason code where the packet allows one; MQTT 3.1.1 cannot, so the connection is closed
   * (QoS 0 publishes over the rate are dropped silently in both). A Kafka failure closes the connection without an
   * acknowledgement: the device retransmits after reconnecting.
   */
  private void refuse(PublishContext ctx, Throwable err) {
    String reason = err instanceof Refusal r ? r.reason() : "kafka";
    shared.meters().publishRefused(reason);
    if (Refusal.ACL.equals(reason)) {
      shared.meters().aclRefused("publish");
    }
    log.info("device {} (tenant {}): publish to {} refused: {} ({})", device.id(), device.tenantId(), ctx.topic(),
        reason, err.getMessage());
    if (ctx.will() || closed || !endpoint.isConnected()) {
      return;
    }
    boolean v5 = endpoint.protocolVersion() == 5;
    switch (reason) {
      case Refusal.PAYLOAD_TOO_LARGE -> disconnect(MqttDisconnectReasonCode.PACKET_TOO_LARGE);
      case Refusal.ACL -> {
        if (!v5) {
          endpoint.close();
        } else {
          refuseWithCode(ctx, MqttPubAckReasonCode.NOT_AUTHORIZED, MqttPubRecReasonCode.NOT_AUTHORIZED);
        }
      }
      case Refusal.RATE -> {
        if (ctx.qos() == 0) {
          return;
        }
        if (!v5) {
          endpoint.close();
        } else {
          refuseWithCode(ctx, MqttPubAckReasonCode.QUOTA_EXCEEDED, MqttPubRecReasonCode.QUOTA_EXCEEDED);
        }
      }
      default -> {
        if (ctx.qos() > 0) {
          endpoint.close();
        }
      }
    }
  }

  private void refuseWithCode(PublishContext ctx, MqttPubAckReasonCode ack, MqttPubRecReasonCode rec) {
    if (ctx.qos() == 1) {
      endpoint.publishAcknowledge(ctx.messageId(), ack, MqttProperties.NO_PROPERTIES);
    } else if (ctx.qos() == 2) {
      endpoint.publishReceived(ctx.messageId(), rec, MqttProperties.NO_PROPERTIES);
    }
  }

  private void disconnect(MqttDisconnectReasonCode code) {
    if (!endpoint.isConnected()) {
      return;
    }
    if (endpoint.protocolVersion() == 5) {
      endpoint.disconnect(code, MqttProperties.NO_PROPERTIES); // sends DISCONNECT and closes
    } else {
      endpoint.close();
    }
  }

  // ---- subscribe

  private void onSubscribe(MqttSubscribeMessage msg) {
    boolean v5 = endpoint.protocolVersion() == 5;
    List<MqttSubAckReasonCode> codes = new ArrayList<>();
    for (MqttTopicSubscription s : msg.topicSubscriptions()) {
      if (TopicAcl.maySubscribe(endpoint.clientIdentifier(), s.topicName())) {
        codes.add(MqttSubAckReasonCode.qosGranted(s.qualityOfService()));
        session.subscribed(s.topicName(), s.qualityOfService().value());
      } else {
        shared.meters().aclRefused("subscribe");
        log.info("device {} (tenant {}): subscription to {} refused", device.id(), device.tenantId(), s.topicName());
        // 0x87 in MQTT 5; 0x80 (failure) is the only refusal MQTT 3.1.1 has
        codes.add(v5 ? MqttSubAckReasonCode.NOT_AUTHORIZED : MqttSubAckReasonCode.UNSPECIFIED_ERROR);
      }
    }
    endpoint.subscribeAcknowledge(msg.messageId(), codes, MqttProperties.NO_PROPERTIES);
  }

  // ---- close

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    onClosed.run();
    shared.live().remove(device.id(), liveEntry);
    shared.ownership().release(device, connectionId);
    shared.quota().release();
    shared.sessions().close(endpoint.clientIdentifier(), session, endsWithConnection());
    MqttWill will = endpoint.will();
    if (!disconnectedCleanly && will != null && will.isWillFlag()) {
      onPublish(new PublishContext(will.getWillTopic(), will.getWillMessageBytes(), will.getWillQos(), 0, true,
          System.currentTimeMillis()));
    }
    shared.presence().offline(device, connectionId, System.currentTimeMillis());
  }

  /**
   * Whether the session ends with this connection: a clean session (3.1.1), or in MQTT 5 a session expiry interval
   * of 0 (the default). A non-zero interval keeps it until the next clean start (expiry times are not tracked).
   */
  private boolean endsWithConnection() {
    if (endpoint.isCleanSession() && endpoint.protocolVersion() < 5) {
      return true;
    }
    if (endpoint.protocolVersion() < 5) {
      return false;
    }
    MqttProperties.MqttProperty<?> expiry = endpoint.connectProperties() == null ? null
        : endpoint.connectProperties().getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
    return expiry == null || expiry.value() == null || ((Number) expiry.value()).longValue() == 0;
  }

  /** Closes the connection of a device the registry no longer has. */
  void deleted() {
    log.info("device {} (tenant {}) was deleted: closing its connection", device.id(), device.tenantId());
    disconnect(MqttDisconnectReasonCode.ADMINISTRATIVE_ACTION);
  }

  /** Closes the connection of a device whose credentials were reissued or revoked. */
  void credentialsChanged() {
    log.info("device {} (tenant {}): credentials reissued or revoked: closing its connection", device.id(),
        device.tenantId());
    disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED);
  }

  /** The registry device this connection authenticated as. */
  MqttDevice device() {
    return device;
  }

  /** Closes the connection when another one takes over the client id. */
  void takenOver() {
    disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
  }
}
