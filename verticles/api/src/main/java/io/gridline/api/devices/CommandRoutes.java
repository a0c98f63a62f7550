package io.gridline.api.devices;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.api.http.Access;
import io.gridline.api.http.Bodies;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.Timestamps;
import io.gridline.api.http.PathIds;
import io.gridline.api.http.Problem;
import io.gridline.api.http.Respond;
import io.gridline.contracts.commands.CommandStatus;
import io.gridline.contracts.mqtt.CommandResult;
import io.gridline.contracts.mqtt.DeviceCommand;
import io.gridline.contracts.mqtt.MqttOwnership;
import io.gridline.contracts.node.NodeAddresses;
import io.gridline.runtime.device.ExternalIds;
import io.gridline.runtime.command.Command;
import io.gridline.runtime.command.CommandLedger;
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
 * Commands, in the lifecycle every device kind shares ({@code commands}, {@link CommandLedger}):
 * <ul>
 *   <li>{@code POST /api/v1/devices/{id}/commands}: publishes {@code cmnd/f2-<mac>/<suffix>} to an MQTT device through
 *   the node that holds its connection. The steps: {@code readInput → findDevice → requireMqtt → findOwner →
 *   sendToOwner → recordSent}. 202 once the owning bridge wrote it to the device (recorded {@code sent}); 409 when the
 *   device is offline or has not subscribed to it (nothing recorded).</li>
 *   <li>{@code GET /api/v1/commands/{id}}: one command of the caller's tenant, any kind.</li>
 *   <li>{@code GET /api/v1/devices/{id}/commands?status=&page=&size=}: a device's commands, newest first.</li>
 * </ul>
 */
public final class CommandRoutes {
  static final long REPLY_TIMEOUT_MS = 5_000;
  /** The type of an MQTT command in {@code commands}. */
  public static final String MQTT_PUBLISH = "mqtt.publish";
  private final DeviceRepository devices;
  private final DeviceOwners owners;
  private final EventBus bus;
  private final CommandLedger ledger;

  public CommandRoutes(DeviceRepository devices, DeviceOwners owners, EventBus bus, CommandLedger ledger) {
    this.devices = devices;
    this.owners = owners;
    this.bus = bus;
    this.ledger = ledger;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/devices/:id/commands", Access.TENANT_WRITE, this::send);
    endpoints.add(GET, "/api/v1/devices/:id/commands", Access.TENANT_READ, this::list);
    endpoints.add(GET, "/api/v1/commands/:commandId", Access.TENANT_READ, this::get);
  }

  /** A command as the API shows it. */
  public static JsonObject toJson(Command c) {
    return new JsonObject().put("id", c.id().toString()).put("deviceId", c.deviceId()).put("deviceKind", c.deviceKind())
        .put("type", c.type()).put("payload", c.payload()).put("priority", c.priority())
        .put("status", c.status().wire()).put("attempts", c.attempts()).put("result", c.result())
        .put("error", c.error()).put("createdAt", Timestamps.format(c.createdAt()))
        .put("sentAt", Timestamps.format(c.sentAt())).put("finishedAt", Timestamps.format(c.finishedAt()));
  }

  private void get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.uuid(ctx, "commandId")
        .compose(id -> ledger.find(caller.tenantId(), id).compose(found -> found
            .map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(Problem.notFound("no command " + id)))))
        .onComplete(Respond.json(ctx, 200, CommandRoutes::toJson));
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    PathIds.deviceId(ctx, "id")
        .compose(id -> statusFilter(ctx).compose(status -> Page.of(ctx).compose(page -> devices.find(caller.tenantId(), id)
            .compose(device -> ledger.list(caller.tenantId(), device.id(), status.orElse(null), page.size(),
                page.offset()))
            .map(slice -> page.envelope(new Page.Slice<>(slice.items(), slice.total()), CommandRoutes::toJson)))))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private static Future<java.util.Optional<CommandStatus>> statusFilter(RoutingContext ctx) {
    String raw = ctx.queryParams().get("status");
    if (raw == null) {
      return Future.succeededFuture(java.util.Optional.empty());
    }
    for (CommandStatus s : CommandStatus.values()) {
      if (s.wire().equals(raw)) {
        return Future.succeededFuture(java.util.Optional.of(s));
      }
    }
    return Future.failedFuture(Problem.invalid("status", "must be one of "
        + String.join(", ", java.util.Arrays.stream(CommandStatus.values()).map(CommandStatus::wire).toList())));
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
        .compose(this::recordSent)
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

  private Future<DeviceCommand> sendToOwner(CommandContext c) {
    String clientId = "f2-" + c.device().externalId().replace(":", "");
    DeviceCommand command = new DeviceCommand(UUID.randomUUID().toString(), c.caller().tenantId().toString(),
        c.deviceId(), clientId, "cmnd/" + clientId + "/" + c.input().topic(),
        Base64.getEncoder().encodeToString(c.input().payload()), c.input().qos());
    return bus.<CommandResult>request(NodeAddresses.nodeAddress(c.ownerNode(), MqttOwnership.VERTICLE), command,
            new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MS))
        .recover(err -> Future.failedFuture(unreachable(c, err)))
        .compose(reply -> outcome(c, reply.body()).map(command));
  }

  /** The bridge wrote it to the device: a {@code sent} command, readable at {@code GET /api/v1/commands/{id}}. */
  private Future<String> recordSent(DeviceCommand command) {
    JsonObject payload = new JsonObject().put("topic", command.topic()).put("payload", command.payloadBase64())
        .put("encoding", "base64").put("qos", command.qos());
    return ledger.recordSent(UUID.fromString(command.commandId()), UUID.fromString(command.tenantId()),
            command.deviceId(), ExternalIds.MQTT, MQTT_PUBLISH, payload, new JsonObject().put("outcome", "delivered"))
        .map(recorded -> command.commandId());
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
