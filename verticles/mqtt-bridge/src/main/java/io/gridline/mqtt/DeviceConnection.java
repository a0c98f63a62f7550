package io.gridline.mqtt;

import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.DeviceCommand;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.UntrustedText;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Future;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
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
 * One accepted device connection. {@link #onPublish} is the hot path: size, rate, ACL, Kafka backlog, QoS 2 duplicate
 * check, Kafka, then the acknowledgement — PUBACK / PUBREC only once Kafka acknowledged the record. {@link #onSubscribe}
 * runs each topic filter through rate, ACL and the session's subscription quota.
 */
final class DeviceConnection {
  private static final Logger log = LoggerFactory.getLogger(DeviceConnection.class);
  /** A device provokes refusals at will: their log lines have a budget, and what it sent is quoted escaped. */
  private static final LogThrottle refusals = new LogThrottle(log, 20);

  /** What the connection shares with every other one on this verticle instance. */
  record Shared(MqttSettings settings, TelemetryWriter writer, DevicePresence presence, SessionStore sessions,
      ConnectionQuota quota, BridgeMeters meters, String nodeId, DeviceOwnership ownership, LiveConnections live) {}

  private final Shared shared;
  private final MqttEndpoint endpoint;
  private final MqttDevice device;
  private final SessionStore.Session session;
  private final TokenBucket publishRate;
  private final TokenBucket subscribeRate;
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
    this.publishRate = new TokenBucket(shared.settings().maxPublishRate());
    this.subscribeRate = new TokenBucket(shared.settings().maxSubscribeRate());
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
    endpoint.disconnectMessageHandler(this::onDisconnect);
    endpoint.closeHandler(v -> onClose());
    endpoint.exceptionHandler(err -> log.debug("device {}: {}", device.id(), UntrustedText.forLog(err.getMessage())));
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
        .compose(this::checkKafkaBacklog)
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
    return ctx.will() || publishRate.tryTake()
        ? Future.succeededFuture(ctx)
        : Future.failedFuture(new Refusal(Refusal.RATE, "over mqtt.max-publish-rate"));
  }

  private Future<PublishContext> checkAcl(PublishContext ctx) {
    return TopicAcl.mayPublish(endpoint.clientIdentifier(), ctx.topic())
        ? Future.succeededFuture(ctx)
        : Future.failedFuture(new Refusal(Refusal.ACL, "may not publish to " + ctx.topic()));
  }

  /**
   * While Kafka holds too much of this node's data unacknowledged, a new publish is refused rather than buffered. A
   * retransmitted QoS 2 packet whose write is under way passes: it adds nothing, and refusing it would tell the device
   * that a message was dropped which may still be written.
   */
  private Future<PublishContext> checkKafkaBacklog(PublishContext ctx) {
    boolean retransmission = ctx.qos() == 2 && !ctx.will() && session.inFlight(ctx.messageId()) != null;
    return retransmission || !shared.writer().backlogFull()
        ? Future.succeededFuture(ctx)
        : Future.failedFuture(new Refusal(Refusal.SERVER_BUSY,
            "Kafka has not acknowledged mqtt.max-pending-bytes or mqtt.max-pending-records of this node's records"));
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
   * (QoS 0 publishes over the rate or the Kafka backlog are dropped silently in both). A Kafka failure closes the
   * connection without an acknowledgement: the device retransmits after reconnecting.
   */
  private void refuse(PublishContext ctx, Throwable err) {
    String reason = err instanceof Refusal r ? r.reason() : "kafka";
    shared.meters().publishRefused(reason);
    if (Refusal.ACL.equals(reason)) {
      shared.meters().aclRefused("publish");
    }
    refusals.info("device {} (tenant {}): publish to {} refused: {} ({})", device.id(), device.tenantId(),
        UntrustedText.forLog(ctx.topic()), reason, UntrustedText.forLog(err.getMessage()));
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
      case Refusal.RATE, Refusal.SERVER_BUSY -> {
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

  /** One SUBACK answers every topic filter of the SUBSCRIBE, each granted or refused on its own. */
  private void onSubscribe(MqttSubscribeMessage msg) {
    List<Future<MqttSubAckReasonCode>> codes = new ArrayList<>();
    for (MqttTopicSubscription s : msg.topicSubscriptions()) {
      codes.add(subscribe(s));
    }
    Future.all(codes).onSuccess(all -> endpoint.subscribeAcknowledge(msg.messageId(), all.list(),
        MqttProperties.NO_PROPERTIES));
  }

  /** One topic filter: its reason code in SUBACK. */
  private Future<MqttSubAckReasonCode> subscribe(MqttTopicSubscription s) {
    return checkSubscribeRate(s)
        .compose(this::checkSubscribeAcl)
        .compose(this::checkSubscriptionQuota)
        .map(this::grant)
        .recover(err -> Future.succeededFuture(refuseSubscription(s, err)));
  }

  /** Each topic filter takes a token, so one SUBSCRIBE carrying many filters is no way around the rate. */
  private Future<MqttTopicSubscription> checkSubscribeRate(MqttTopicSubscription s) {
    return subscribeRate.tryTake()
        ? Future.succeededFuture(s)
        : Future.failedFuture(new Refusal(Refusal.SUBSCRIBE_RATE, "over mqtt.max-subscribe-rate"));
  }

  private Future<MqttTopicSubscription> checkSubscribeAcl(MqttTopicSubscription s) {
    return TopicAcl.maySubscribe(endpoint.clientIdentifier(), s.topicName())
        ? Future.succeededFuture(s)
        : Future.failedFuture(new Refusal(Refusal.ACL, "may not subscribe to " + s.topicName()));
  }

  /** A session's subscriptions live as long as it does: at most mqtt.max-subscriptions; a filter held is replaced. */
  private Future<MqttTopicSubscription> checkSubscriptionQuota(MqttTopicSubscription s) {
    return session.hasSubscription(s.topicName())
        || session.subscriptionCount() < shared.settings().maxSubscriptions()
        ? Future.succeededFuture(s)
        : Future.failedFuture(new Refusal(Refusal.SUBSCRIPTION_QUOTA, "the session holds mqtt.max-subscriptions"));
  }

  private MqttSubAckReasonCode grant(MqttTopicSubscription s) {
    session.subscribed(s.topicName(), s.qualityOfService().value());
    return MqttSubAckReasonCode.qosGranted(s.qualityOfService());
  }

  /** 0x80 (failure) is the only refusal MQTT 3.1.1 has; MQTT 5 says why. */
  private MqttSubAckReasonCode refuseSubscription(MqttTopicSubscription s, Throwable err) {
    String reason = err instanceof Refusal r ? r.reason() : "error";
    shared.meters().subscribeRefused(reason);
    if (Refusal.ACL.equals(reason)) {
      shared.meters().aclRefused("subscribe");
    }
    refusals.info("device {} (tenant {}): subscription to {} refused: {}", device.id(), device.tenantId(),
        UntrustedText.forLog(s.topicName()), reason);
    if (endpoint.protocolVersion() != 5) {
      return MqttSubAckReasonCode.UNSPECIFIED_ERROR;
    }
    return switch (reason) {
      case Refusal.ACL -> MqttSubAckReasonCode.NOT_AUTHORIZED;
      case Refusal.SUBSCRIBE_RATE, Refusal.SUBSCRIPTION_QUOTA -> MqttSubAckReasonCode.QUOTA_EXCEEDED;
      default -> MqttSubAckReasonCode.UNSPECIFIED_ERROR;
    };
  }

  // ---- close

  /** A normal DISCONNECT suppresses the will; in MQTT 5 it may also change the session expiry interval. */
  private void onDisconnect(MqttDisconnectMessage msg) {
    disconnectedCleanly = msg.code() != MqttDisconnectReasonCode.WITH_WILL_MESSAGE;
    long requested = SessionStore.expiryProperty(msg.properties());
    if (requested >= 0) {
      session.expiresAfter(shared.settings().sessionExpirySeconds(true, false, requested));
    }
  }

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    onClosed.run();
    shared.live().remove(device.id(), liveEntry);
    shared.ownership().release(device, connectionId);
    shared.quota().release();
    shared.sessions().close(endpoint.clientIdentifier(), session);
    MqttWill will = endpoint.will();
    if (!disconnectedCleanly && will != null && will.isWillFlag()) {
      onPublish(new PublishContext(will.getWillTopic(), will.getWillMessageBytes(), will.getWillQos(), 0, true,
          System.currentTimeMillis()));
    }
    shared.presence().offline(device, connectionId, System.currentTimeMillis());
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
