package io.gridline.api;

import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.DeviceCommand;
import io.gridline.contracts.mqtt.MqttOwnership;
import io.gridline.contracts.node.NodeAddresses;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.UUID;

/**
 * {@code POST /api/v1/devices/{id}/commands}: publishes {@code cmnd/f2-<mac>/<suffix>} to an MQTT device through the
 * node that holds its connection. The steps: {@code readInput → findDevice → requireMqtt → findOwner → sendToOwner}.
 * 202 once the owning bridge wrote it to the device; 409 when the device is offline or has not subscribed to it.
 */
final class CommandRoutes {
  static final long REPLY_TIMEOUT_MS = 5_000;
  private final DeviceRepository devices;
  private final DeviceOwners owners;
  private final EventBus bus;

  CommandRoutes(DeviceRepository devices, DeviceOwners owners, EventBus bus) {
    this.devices = devices;
    this.owners = owners;
    this.bus = bus;
  }

  void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/devices/:id/commands", Access.TENANT_WRITE, this::send);
  }

  private record CommandContext(Caller caller, long deviceId, CommandInput input, Device device, String ownerNode) {
    CommandContext with(Device d) {
      return new CommandContext(caller, deviceId, input, d, ownerNode);
    }

    CommandContext owner(String node) {
      return new CommandContext(caller, deviceId, input, device, node);
    }
  }

  private void send(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> Bodies.jsonObject(ctx).compose(CommandInput::from)
            .map(input -> new CommandContext(caller, id, input, null, null)))
        .compose(this::findDevice)
        .compose(this::requireMqtt)
        .compose(this::findOwner)
        .compose(this::sendToOwner)
        .onComplete(Respond.json(ctx, 202, commandId -> new JsonObject().put("commandId", commandId)));
  }

  private Future<CommandContext> findDevice(CommandContext c) {
    return devices.find(c.caller().tenantId(), c.deviceId()).map(c::with);
  }

  private Future<CommandContext> requireMqtt(CommandContext c) {
    return ExternalIds.MQTT.equals(c.device().kind()) ? Future.succeededFuture(c)
        : Future.failedFuture(Problem.conflict("commands go to mqtt devices only; device " + c.deviceId()
            + " is of kind " + c.device().kind()));
  }

  private Future<CommandContext> findOwner(CommandContext c) {
    return owners.mqttOwner(c.deviceId()).compose(owner -> owner.isPresent()
        ? Future.succeededFuture(c.owner(owner.get()))
        : Future.failedFuture(offline(c)));
  }

  private Future<String> sendToOwner(CommandContext c) {
    String clientId = "f2-" + c.device().externalId().replace(":", "");
    DeviceCommand command = new DeviceCommand(UUID.randomUUID().toString(), c.caller().tenantId().toString(),
        c.deviceId(), clientId, "cmnd/" + clientId + "/" + c.input().topic(),
        Base64.getEncoder().encodeToString(c.input().payload()), c.input().qos());
    return bus.<CommandResult>request(NodeAddresses.nodeAddress(c.ownerNode(), MqttOwnership.VERTICLE), command,
            new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MS))
        .recover(err -> Future.failedFuture(unreachable(c, err)))
        .compose(reply -> outcome(c, reply.body()));
  }

  private static Future<String> outcome(CommandContext c, CommandResult result) {
    return switch (result.outcome()) {
      case DELIVERED -> Future.succeededFuture(result.commandId());
      case OFFLINE -> Future.failedFuture(offline(c));
      case NOT_SUBSCRIBED -> Future.failedFuture(Problem.conflict("device " + c.deviceId()
          + " has not subscribed to a filter matching the command's topic"));
      case FAILED -> Future.failedFuture(Problem.conflict("the command could not be written to device "
          + c.deviceId() + ": " + result.detail()));
      case REFUSED -> Future.failedFuture(Problem.conflict("the node holding device " + c.deviceId()
          + " refused the command: " + result.detail()));
    };
  }

  /**
   * No consumer at the owner's address: the node is gone and its entry has not lapsed yet — the device is offline. A
   * timeout is a 504: the command may or may not have gone out.
   */
  private static Throwable unreachable(CommandContext c, Throwable err) {
    if (err instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
      return Problem.gatewayTimeout("node " + c.ownerNode() + " did not answer within " + REPLY_TIMEOUT_MS + " ms");
    }
    if (err instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
      return offline(c);
    }
    return err; // the owner failed handling it: a 500, with the cause in the log
  }

  private static Problem offline(CommandContext c) {
    return Problem.conflict("device " + c.deviceId() + " is offline (no node holds its MQTT connection)");
  }
}
