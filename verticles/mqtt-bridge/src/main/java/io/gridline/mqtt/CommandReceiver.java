package io.gridline.mqtt;

import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.CommandResult.Outcome;
import io.gridline.contracts.mqtt.DeviceCommand;
import io.gridline.contracts.mqtt.MqttOwnership;
import io.gridline.contracts.node.NodeAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code gridline.node.<nodeId>.mqtt-bridge}: a {@link DeviceCommand} from the api is handed to the device's
 * connection on this node, and the reply says whether it went out.
 */
final class CommandReceiver {
  private static final Logger log = LoggerFactory.getLogger(CommandReceiver.class);
  private final Vertx vertx;
  private final LiveConnections live;
  private final String nodeId;
  private final BridgeMeters meters;
  private MessageConsumer<DeviceCommand> consumer;

  CommandReceiver(Vertx vertx, LiveConnections live, String nodeId, BridgeMeters meters) {
    this.vertx = vertx;
    this.meters = meters;
    this.live = live;
    this.nodeId = nodeId;
  }

  Future<Void> listen() {
    consumer = vertx.eventBus().consumer(NodeAddresses.nodeAddress(nodeId, MqttOwnership.VERTICLE), this::onCommand);
    return consumer.completion();
  }

  Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onCommand(Message<DeviceCommand> message) {
    DeviceCommand command = message.body();
    long started = System.nanoTime();
    LiveConnections.Entry entry = live.find(command.deviceId());
    if (entry == null) {
      meters.commandHandled("offline", started);
      message.reply(new CommandResult(command.commandId(), Outcome.OFFLINE, "the device is not connected to this node"));
      return;
    }
    Promise<CommandResult> result = Promise.promise();
    entry.context().runOnContext(v -> entry.connection().deliver(command).onComplete(result));
    result.future()
        .recover(err -> Future.succeededFuture(new CommandResult(command.commandId(), Outcome.FAILED,
            String.valueOf(err.getMessage()))))
        .onSuccess(r -> {
          log.info("device {} (tenant {}): command {} to {}: {}", command.deviceId(), command.tenantId(),
              command.commandId(), command.topic(), r.outcome());
          meters.commandHandled(r.outcome().name().toLowerCase(), started);
          message.reply(r);
        });
  }
}
