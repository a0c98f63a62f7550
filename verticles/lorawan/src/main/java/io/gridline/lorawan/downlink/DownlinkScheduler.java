package io.gridline.lorawan.downlink;

import io.gridline.contracts.commands.CommandStatus;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.lorawan.DeviceEvents;
import io.gridline.lorawan.LorawanMeters;
import io.gridline.lorawan.LorawanSettings;
import io.gridline.lorawan.gateway.DownlinkFrame;
import io.gridline.lorawan.gateway.GatewayRouter;
import io.gridline.lorawan.gateway.RxInfo;
import io.gridline.lorawan.storage.DeviceSession;
import io.gridline.lorawan.storage.SessionStore;
import io.gridline.lorawan.uplink.UplinkContext;
import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.frame.Direction;
import io.gridline.lrwn.frame.EncryptedJoinAccept;
import io.gridline.lrwn.frame.FCtrl;
import io.gridline.lrwn.frame.Fhdr;
import io.gridline.lrwn.frame.FrmCipher;
import io.gridline.lrwn.frame.MType;
import io.gridline.lrwn.frame.Mic;
import io.gridline.lrwn.maccommand.MacCommands;
import io.gridline.lrwn.region.DataRate;
import io.gridline.lrwn.region.RegionParams;
import io.gridline.lrwn.semtechudp.TxPacket;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.command.Command;
import io.gridline.runtime.command.CommandLedger;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Class A downlinks. After every accepted uplink the device listens twice: RX1 at the uplink's {@code tmst} + its RX
 * delay, on the region's RX1 frequency and data rate, and RX2 a second later on the region's fixed RX2 channel. The
 * scheduler answers then through the gateway that heard the device best (highest SNR, then RSSI), with, in order: the
 * device's next open downlink (the shared {@code commands} lifecycle: queued → sent → acked / completed / failed /
 * dead), the ACK of a confirmed uplink, and the network's MAC answers — or nothing when there is none of them.
 * A confirmed downlink is sent again on later uplinks until the device's ACK, at most {@code lorawan.max-retries}
 * times, then it is dead. A TX_ACK with an error fails an unconfirmed downlink (a confirmed one waits for its retry).
 */
public final class DownlinkScheduler {
  private static final Logger log = LoggerFactory.getLogger(DownlinkScheduler.class);
  private static final LogThrottle throttle = new LogThrottle(log, 5);
  /** The TX power the scheduler asks for, dBm (each region's default maximum EIRP, less antenna gain). */
  static final int EU868_POWER = 14;
  static final int US915_POWER = 20;
  private static final String CMD = "cmd:";

  private final CommandLedger ledger;
  private final SessionStore sessions;
  private final GatewayRouter router;
  private final DeviceEvents events;
  private final LorawanSettings settings;
  private final LorawanMeters meters;

  public DownlinkScheduler(CommandLedger ledger, SessionStore sessions, GatewayRouter router, DeviceEvents events,
      LorawanSettings settings, LorawanMeters meters) {
    this.ledger = ledger;
    this.sessions = sessions;
    this.router = router;
    this.events = events;
    this.settings = settings;
    this.meters = meters;
  }

  // ---- the device's answer to earlier downlinks, seen in its uplink

  /**
   * What this uplink says of earlier downlinks: its ACK bit acknowledges the confirmed downlink awaiting one; any
   * uplink shows an unconfirmed downlink sent before went out (for gateways that send no TX_ACK). Answers the state
   * without them.
   */
  public Future<JsonObject> settle(DeviceSession s, boolean ackBit, long at) {
    JsonObject state = s.state().copy();
    Future<Void> done = Future.succeededFuture();
    JsonObject awaiting = state.getJsonObject("awaiting");
    if (awaiting != null && ackBit) {
      state.remove("awaiting");
      UUID id = UUID.fromString(awaiting.getString("commandId"));
      done = ledger.transition(id, Set.of(CommandStatus.SENT), CommandStatus.ACKED, null, null)
          .compose(moved -> moved.isEmpty() ? Future.<Void>succeededFuture() : Future.all(
              events.publish(DeviceEvent.Types.LORAWAN_ACK, s.tenantId(), s.deviceId(), "ack/" + id, at,
                  new JsonObject().put("devEui", s.devEui()).put("commandId", id.toString())
                      .put("fCntDown", awaiting.getLong("fCntDown"))),
              commandEvent(DeviceEvent.Types.COMMAND_COMPLETED, moved.get(), at)).mapEmpty());
    }
    String unconfirmed = (String) state.remove("sentUnconfirmed");
    if (unconfirmed != null) {
      UUID id = UUID.fromString(unconfirmed);
      done = done.compose(v -> complete(id, at));
    }
    return done.map(state);
  }

  // ---- after an uplink

  /** Sends what is due in this uplink's receive windows (the session is saved again with the downlink counter). */
  public Future<Void> afterUplink(UplinkContext ctx) {
    DeviceSession s = ctx.session();
    Future<Optional<Command>> due = ctx.commandsOpen() ? nextCommand(s, ctx.receivedAtMs())
        : Future.succeededFuture(Optional.empty());
    return due.compose(cmd -> {
      boolean ack = ctx.confirmed();
      if (cmd.isEmpty() && !ack && ctx.macAnswers().isEmpty()) {
        return Future.succeededFuture();
      }
      return send(ctx, cmd);
    });
  }

  /** The open command to send now: a queued one, or the confirmed one awaiting its ACK (unless it has run out). */
  private Future<Optional<Command>> nextCommand(DeviceSession s, long at) {
    return ledger.open(s.deviceId(), 4).compose(open -> pick(s, open, 0, at));
  }

  private Future<Optional<Command>> pick(DeviceSession s, List<Command> open, int i, long at) {
    if (i >= open.size()) {
      return Future.succeededFuture(Optional.empty());
    }
    Command c = open.get(i);
    if (c.status() == CommandStatus.QUEUED) {
      return Future.succeededFuture(Optional.of(c));
    }
    boolean confirmed = c.payload().getBoolean("confirmed", false);
    if (!confirmed) {
      return pick(s, open, i + 1, at); // sent unconfirmed: its TX_ACK or the next uplink completes it
    }
    if (c.attempts() >= settings.maxRetries()) {
      return ledger.transition(c.id(), Set.of(CommandStatus.SENT), CommandStatus.DEAD, null,
              "no ACK after " + c.attempts() + " sends")
          .compose(moved -> moved.map(m -> commandEvent(DeviceEvent.Types.COMMAND_FAILED, m, at))
              .orElse(Future.succeededFuture()))
          .compose(v -> pick(s, open, i + 1, at));
    }
    return Future.succeededFuture(Optional.of(c));
  }

  private Future<Void> send(UplinkContext ctx, Optional<Command> cmd) {
    DeviceSession s = ctx.session();
    RegionParams region = s.regionParams();
    RxInfo best = ctx.best();
    long fCntDown = s.nFCntDown();
    boolean confirmed = cmd.map(c -> c.payload().getBoolean("confirmed", false)).orElse(false);
    Bytes fOpts = ctx.macAnswers().isEmpty() ? Bytes.EMPTY : MacCommands.encode(ctx.macAnswers());
    OptionalInt fPort = OptionalInt.empty();
    Bytes payload = Bytes.EMPTY;
    if (cmd.isPresent()) {
      fPort = OptionalInt.of(cmd.get().payload().getInteger("fPort"));
      payload = Bytes.fromHex(cmd.get().payload().getString("data"));
    }
    OptionalInt uplinkDr = DataRate.parseLora(best.datr())
        .map(r -> region.dataRateIndex(r, Direction.UPLINK)).orElse(OptionalInt.empty());
    int rxDelay = s.state().getInteger("rxDelay", settings.rx1DelaySeconds());
    int size = fOpts.length() + (fPort.isPresent() ? 1 : 0) + payload.length();
    Optional<Window> window = window(region, best, uplinkDr, s.state().getInteger("rx1DrOffset", 0), rxDelay, size,
        s.state());
    if (window.isEmpty()) {
      meters.downlinkFailed("too-large");
      return cmd.map(c -> ledger.transition(c.id(), Set.of(CommandStatus.QUEUED, CommandStatus.SENT),
              CommandStatus.FAILED, null, "a payload of " + size + " octets fits neither receive window's data rate")
          .compose(m -> m.map(x -> commandEvent(DeviceEvent.Types.COMMAND_FAILED, x, ctx.receivedAtMs()))
              .orElse(Future.succeededFuture())))
          .orElse(Future.succeededFuture());
    }
    MType mType = confirmed ? MType.CONFIRMED_DATA_DOWN : MType.UNCONFIRMED_DATA_DOWN;
    Fhdr fhdr = new Fhdr(s.devAddr(), FCtrl.downlink(false, ctx.confirmed(), false), (int) (fCntDown & 0xFFFF), fOpts);
    DataFrame frame = new DataFrame(mType, fhdr, fPort, payload, 0);
    if (fPort.isPresent()) {
      frame = FrmCipher.encrypt(frame, s.keys(), fCntDown);
    }
    frame = Mic.signData(frame, s.keys().nwkSKey(), fCntDown);
    Window w = window.get();
    String downlinkId = cmd.map(c -> CMD + c.id() + (confirmed ? ":c" : ":u")).orElse("ack:" + UUID.randomUUID());
    TxPacket txpk = TxPacket.classA(w.tmst, w.frequencyHz, power(region), region.dataRate(w.dr),
        Bytes.of(frame.encode()));
    String kind = cmd.isPresent() ? "data" : ctx.confirmed() ? "ack" : "mac";
    return router.send(new DownlinkFrame(best.gatewayId(), txpk, downlinkId, best.context()))
        .onSuccess(path -> meters.downlink(kind, path))
        .compose(path -> {
          JsonObject state = s.state().copy();
          cmd.ifPresent(c -> {
            if (confirmed) {
              state.put("awaiting", new JsonObject().put("commandId", c.id().toString()).put("fCntDown", fCntDown));
            } else {
              state.put("sentUnconfirmed", c.id().toString());
            }
          });
          DeviceSession next = s.withCounters(s.fCntUp(), fCntDown + 1, state);
          Future<Void> sent = cmd.map(c -> ledger.transition(c.id(), Set.of(CommandStatus.QUEUED, CommandStatus.SENT),
                  CommandStatus.SENT, new JsonObject().put("gatewayId", best.gatewayId()).put("fCntDown", fCntDown),
                  null)
              .compose(m -> m.map(x -> commandEvent(DeviceEvent.Types.COMMAND_SENT, x, ctx.receivedAtMs()))
                  .orElse(Future.succeededFuture())))
              .orElse(Future.succeededFuture());
          return sessions.save(next).compose(v -> sent);
        }, err -> {
          meters.downlinkFailed("no-gateway");
          throttle.warn("downlink for {} not sent: {}", s.devEui(), err.getMessage());
          return Future.succeededFuture(); // a queued command stays queued for the next uplink
        });
  }

  /** When and where the device listens: RX1 when its frequency and data rate hold the frame, else RX2. */
  record Window(long tmst, long frequencyHz, int dr) {}

  static Optional<Window> window(RegionParams region, RxInfo rx, OptionalInt uplinkDr, int rx1DrOffset, int delaySec,
      int macPayloadSize, JsonObject state) {
    if (uplinkDr.isPresent()) {
      OptionalLong rx1Freq = region.rx1Frequency(rx.frequencyHz());
      int rx1Dr = region.rx1DataRate(uplinkDr.getAsInt(), rx1DrOffset);
      if (rx1Freq.isPresent() && fits(region, rx1Dr, macPayloadSize)) {
        return Optional.of(new Window(at(rx.tmst(), delaySec), rx1Freq.getAsLong(), rx1Dr));
      }
    }
    int rx2Dr = state.getInteger("rx2Dr", region.rx2DataRate());
    long rx2Freq = state.getLong("rx2Frequency", region.rx2Frequency());
    return fits(region, rx2Dr, macPayloadSize)
        ? Optional.of(new Window(at(rx.tmst(), delaySec + 1), rx2Freq, rx2Dr)) : Optional.empty();
  }

  private static boolean fits(RegionParams region, int dr, int macPayloadSize) {
    try {
      return macPayloadSize <= region.maxPayload(dr).macPayload();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The gateway's 32-bit microsecond counter {@code seconds} after {@code tmst}. */
  static long at(long tmst, int seconds) {
    return (tmst + seconds * 1_000_000L) & 0xFFFF_FFFFL;
  }

  static int power(RegionParams region) {
    return "US915".equals(region.name()) ? US915_POWER : EU868_POWER;
  }

  // ---- join accepts

  /** A JoinAccept in JOIN_ACCEPT_DELAY1 (RX1), or RX2 at JOIN_ACCEPT_DELAY2, through the best gateway. */
  public Future<Void> joinAccept(DeviceSession s, List<RxInfo> rxInfo, EncryptedJoinAccept accept) {
    RegionParams region = s.regionParams();
    RxInfo best = rxInfo.get(0);
    OptionalInt uplinkDr = DataRate.parseLora(best.datr())
        .map(r -> region.dataRateIndex(r, Direction.UPLINK)).orElse(OptionalInt.empty());
    int delay = (int) RegionParams.JOIN_ACCEPT_DELAY1.toSeconds();
    Optional<Window> w = window(region, best, uplinkDr, 0, delay, 0, new JsonObject());
    if (w.isEmpty()) {
      meters.downlinkFailed("no-window");
      return Future.failedFuture("no receive window for the join accept of " + s.devEui());
    }
    TxPacket txpk = TxPacket.classA(w.get().tmst(), w.get().frequencyHz(), power(region),
        region.dataRate(w.get().dr()), Bytes.of(accept.encode()));
    return router.send(new DownlinkFrame(best.gatewayId(), txpk, "join:" + s.devEui(), best.context()))
        .onSuccess(path -> meters.downlink("join-accept", path))
        .onFailure(err -> meters.downlinkFailed("no-gateway"))
        .mapEmpty();
  }

  // ---- the gateway's TX_ACK

  /** A gateway scheduled a downlink or refused it: an unconfirmed command completes or fails. */
  public void txAck(String gatewayId, String downlinkId, Optional<String> error) {
    if (!downlinkId.startsWith(CMD)) {
      return;
    }
    String[] parts = downlinkId.split(":");
    UUID id = UUID.fromString(parts[1]);
    boolean confirmed = "c".equals(parts[2]);
    long now = System.currentTimeMillis();
    Future<Void> done;
    if (error.isEmpty()) {
      done = confirmed ? Future.succeededFuture() : complete(id, now);
    } else if (!confirmed) {
      done = ledger.transition(id, Set.of(CommandStatus.QUEUED, CommandStatus.SENT), CommandStatus.FAILED, null,
              "gateway " + gatewayId + " did not transmit: " + error.get())
          .compose(m -> m.map(x -> commandEvent(DeviceEvent.Types.COMMAND_FAILED, x, now))
              .orElse(Future.succeededFuture()));
    } else {
      done = Future.succeededFuture(); // sent again on the device's next uplink
    }
    done.onFailure(err -> throttle.warn("TX_ACK of {} not recorded: {}", id, err.getMessage()));
  }

  /**
   * Completed from sent — or from queued: a gateway's TX_ACK can arrive before this node recorded the send (the
   * PULL_RESP went out through another node, or the gateway answered within the database round trip), and the later
   * "sent" does not move a completed command back.
   */
  private Future<Void> complete(UUID id, long at) {
    return ledger.transition(id, Set.of(CommandStatus.QUEUED, CommandStatus.SENT), CommandStatus.COMPLETED, null, null)
        .compose(m -> m.map(x -> commandEvent(DeviceEvent.Types.COMMAND_COMPLETED, x, at))
            .orElse(Future.succeededFuture()));
  }

  private Future<Void> commandEvent(String type, Command c, long at) {
    JsonObject data = new JsonObject().put("commandId", c.id().toString()).put("type", c.type())
        .put("status", c.status().wire()).put("attempts", c.attempts());
    if (c.error() != null) {
      data.put("error", c.error());
    }
    return events.publish(type, c.tenantId().toString(), c.deviceId(), c.id() + "/" + c.status().wire() + "/"
        + c.attempts(), at, data);
  }
}
