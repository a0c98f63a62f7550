package io.gridline.api.lorawan;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.gridline.api.devices.CommandRoutes;
import io.gridline.api.http.Access;
import io.gridline.api.http.Bodies;
import io.gridline.api.http.Caller;
import io.gridline.api.http.Endpoints;
import io.gridline.api.http.Page;
import io.gridline.api.http.Problem;
import io.gridline.api.http.Respond;
import io.gridline.api.http.Validation;
import io.gridline.contracts.lorawan.LorawanAddresses;
import io.gridline.lrwn.region.RegionParams;
import io.gridline.runtime.command.Command;
import io.gridline.runtime.command.CommandLedger;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/lorawan/devices/{devEui}/queue}: a class A device's downlink queue. Each item is a command of type
 * {@code lorawan.downlink} in the lifecycle every device kind shares ({@code queued → sent → acked | failed | dead},
 * {@code GET /api/v1/commands/{id}}); the lorawan verticle sends it after the device's next uplink. The steps of
 * {@code POST}: {@code readInput → findDevice → checkSize → enqueue}.
 * <ul>
 *   <li>{@code POST} {@code {fPort (1..223), data (hex), confirmed}} → 202 {@code {id}}, {@code Location} the command;
 *   400 when the payload does not fit the data rate the device's next downlink goes out at (its last uplink's RX1
 *   rate, or RX2's before it sent any);</li>
 *   <li>{@code GET}: the items not yet finished (queued, or sent and awaiting an ACK), in send order;</li>
 *   <li>{@code DELETE}: drops the queued items (one already sent is left to finish), 204.</li>
 * </ul>
 */
public final class DownlinkQueueRoutes {
  static final int OPEN_MAX = 500;
  private static final Set<String> FIELDS = Set.of("fPort", "data", "confirmed");
  private final LorawanDeviceRepository devices;
  private final CommandLedger ledger;

  public DownlinkQueueRoutes(LorawanDeviceRepository devices, CommandLedger ledger) {
    this.devices = devices;
    this.ledger = ledger;
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(POST, "/api/v1/lorawan/devices/:devEui/queue", Access.TENANT_WRITE, this::enqueue);
    endpoints.add(GET, "/api/v1/lorawan/devices/:devEui/queue", Access.TENANT_READ, this::list);
    endpoints.add(DELETE, "/api/v1/lorawan/devices/:devEui/queue", Access.TENANT_WRITE, this::flush);
  }

  /** A downlink as the caller asked for it: {@code data} in lower-case hex. */
  record DownlinkInput(int fPort, String data, boolean confirmed) {
    static Future<DownlinkInput> of(JsonObject body) {
      Validation v = Validation.of(body, FIELDS, Set.of());
      Integer fPort = v.integer("fPort", 1, 223);
      String data = v.hex("data", true, -RegionParams.MAX_FRM_PAYLOAD);
      Boolean confirmed = v.bool("confirmed", false);
      return v.result(() -> new DownlinkInput(fPort, data, confirmed));
    }

    JsonObject toJson() {
      return new JsonObject().put("fPort", fPort).put("data", data).put("confirmed", confirmed);
    }
  }

  private record QueueContext(Caller caller, DownlinkInput input, LorawanDeviceRepository.Found device) {
    QueueContext with(LorawanDeviceRepository.Found d) {
      return new QueueContext(caller, input, d);
    }
  }

  private void enqueue(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    LorawanIds.devEui(ctx)
        .compose(devEui -> Bodies.jsonObject(ctx).compose(DownlinkInput::of)
            .map(input -> new QueueContext(caller, input, null))
            .compose(c -> devices.find(caller.tenantId(), devEui).map(c::with)))
        .compose(DownlinkQueueRoutes::checkSize)
        .compose(c -> ledger.enqueue(UUID.randomUUID(), c.caller().tenantId(), c.device().deviceId(),
            ExternalIds.LORAWAN, LorawanAddresses.DOWNLINK_COMMAND, c.input().toJson(), 0))
        .onSuccess(command -> ctx.response().putHeader("Location", "/api/v1/commands/" + command.id()))
        .onComplete(Respond.json(ctx, 202, command -> new JsonObject().put("id", command.id().toString())));
  }

  /** The payload must fit the rate of the window the scheduler answers in first. */
  private static Future<QueueContext> checkSize(QueueContext c) {
    RegionParams region = RegionParams.byName(c.device().region()).orElseThrow();
    Integer lastDr = c.device().lastDr();
    int dr = lastDr == null ? region.rx2DataRate() : region.rx1DataRate(lastDr, 0);
    int max = region.maxPayload(dr).frmPayload();
    int size = c.input().data().length() / 2;
    return size <= max ? Future.succeededFuture(c)
        : Future.failedFuture(Problem.invalid("data", "is " + size + " octets; " + region.name() + " DR" + dr
            + (lastDr == null ? " (RX2, the device has sent no uplink yet)" : " (RX1 after its last uplink)")
            + " carries at most " + max));
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    LorawanIds.devEui(ctx)
        .compose(devEui -> devices.find(caller.tenantId(), devEui))
        .compose(device -> ledger.open(device.deviceId(), OPEN_MAX))
        .map(open -> open.stream().filter(c -> LorawanAddresses.DOWNLINK_COMMAND.equals(c.type())).toList())
        .map(items -> new Page(1, OPEN_MAX).envelope(new Page.Slice<Command>(items, items.size()),
            CommandRoutes::toJson))
        .onComplete(Respond.json(ctx, 200, json -> json));
  }

  private void flush(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    LorawanIds.devEui(ctx)
        .compose(devEui -> devices.find(caller.tenantId(), devEui))
        .compose(device -> ledger.dropQueued(caller.tenantId(), device.deviceId(), LorawanAddresses.DOWNLINK_COMMAND))
        .onComplete(Respond.noContent(ctx));
  }
}
