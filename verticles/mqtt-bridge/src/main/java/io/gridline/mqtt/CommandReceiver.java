package io.gridline.mqtt;

import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.CommandResult.Outcome;
import io.gridline.contracts.mqtt.DeviceCommand;
import io.gridline.contracts.mqtt.MqttOwnership;
import io.gridline.contracts.node.NodeAddresses;
import io.gridline.runtime.UntrustedText;
import io.gridline.runtime.device.DeviceDirectory;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code gridline.node.<nodeId>.mqtt-bridge}: a {@link DeviceCommand} from the api is checked against what
 * this node knows — the device is connected here, the registry still has it, under the tenant the command names, and
 * the topic is in the device's own command tree — then handed to the device's connection; the reply says whether it
 * went out. The check does not trust the sender: the clustered bus is a trust boundary (authenticated with TLS client
 * certificates), and a receiver still only does what its own registry confirms.
 */
final class CommandReceiver {
  private static final Logger log = LoggerFactory.getLogger(CommandReceiver.class);
  private final Vertx vertx;
  private final LiveConnections live;
  private final DeviceDirectory directory;
  private final String nodeId;
  private final BridgeMeters meters;
  private MessageConsumer<DeviceCommand> consumer;

  CommandReceiver(Vertx vertx, LiveConnections live, DeviceDirectory directory, String nodeId, BridgeMeters meters) {
    this.vertx = vertx;
    this.meters = meters;
    this.live = live;
    this.directory = directory;
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
    MqttDevice held = entry.connection().device();
    String refused = refusal(command, held);
    Future<CommandResult> checked = refused != null ? Future.succeededFuture(refuse(command, refused))
        : directory.lookup(ExternalIds.MQTT, held.mac()).compose(found -> {
          String stale = found.isPresent() && found.get().id() == command.deviceId()
              && found.get().tenantId().equals(command.tenantId()) ? null
              : "the registry has no device " + command.deviceId() + " of tenant " + command.tenantId();
          if (stale != null) {
            return Future.succeededFuture(refuse(command, stale));
          }
          Promise<CommandResult> result = Promise.promise();
          entry.context().runOnContext(v -> entry.connection().deliver(command).onComplete(result));
          return result.future();
        });
    checked
        .recover(err -> Future.succeededFuture(new CommandResult(command.commandId(), Outcome.FAILED,
            String.valueOf(err.getMessage()))))
        .onSuccess(r -> {
          log.info("device {} (tenant {}): command {} to {}: {}", command.deviceId(), command.tenantId(),
              command.commandId(), command.topic(), r.outcome());
          meters.commandHandled(r.outcome().name().toLowerCase(), started);
          message.reply(r);
        });
  }

  /** What is wrong with the command for the connection held here, or null. */
  private static String refusal(DeviceCommand command, MqttDevice held) {
    if (held.id() != command.deviceId() || !held.tenantId().equals(command.tenantId())) {
      return "device " + command.deviceId() + " of tenant " + command.tenantId() + " is not the one connected here";
    }
    if (!held.clientId().equals(command.clientId()) || !command.topic().startsWith("cmnd/" + held.clientId() + "/")
        || command.topic().indexOf('+') >= 0 || command.topic().indexOf('#') >= 0) {
      return "the topic is not in the device's command tree cmnd/" + held.clientId() + "/";
    }
    if (command.qos() < 0 || command.qos() > 2) {
      return "QoS must be 0, 1 or 2";
    }
    return null;
  }

  private static CommandResult refuse(DeviceCommand command, String why) {
    log.warn("command {} refused: {}", command.commandId(), UntrustedText.forLog(why));
    return new CommandResult(command.commandId(), Outcome.REFUSED, why);
  }
}
