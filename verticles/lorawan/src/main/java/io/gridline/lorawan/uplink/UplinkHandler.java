package io.gridline.lorawan.uplink;

import io.gridline.contracts.events.DeviceEvent;
import io.gridline.lorawan.DeviceEvents;
import io.gridline.lorawan.LorawanMeters;
import io.gridline.lorawan.LorawanSettings;
import io.gridline.lorawan.downlink.DownlinkScheduler;
import io.gridline.lorawan.gateway.RxInfo;
import io.gridline.lorawan.gateway.UplinkFrame;
import io.gridline.lorawan.joinserver.JoinServer;
import io.gridline.lorawan.maccommand.MacHandler;
import io.gridline.lorawan.storage.DeviceSession;
import io.gridline.lorawan.storage.DeviceStatus;
import io.gridline.lorawan.storage.FrameStore;
import io.gridline.lorawan.storage.SessionStore;
import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.Direction;
import io.gridline.lrwn.frame.FCnt;
import io.gridline.lrwn.frame.FrameException;
import io.gridline.lrwn.frame.FrmCipher;
import io.gridline.lrwn.frame.JoinRequest;
import io.gridline.lrwn.frame.Mic;
import io.gridline.lrwn.frame.PhyPayload;
import io.gridline.lrwn.maccommand.MacCommand;
import io.gridline.lrwn.maccommand.MacCommandException;
import io.gridline.lrwn.maccommand.MacCommands;
import io.gridline.lrwn.region.DataRate;
import io.gridline.lrwn.region.RegionParams;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.device.EventIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uplinks from every gateway backend. {@link #receive} decodes the PHYPayload and collects the copies (dedup); the
 * copy that wins handles the uplink once with every gateway's reception: a data frame through
 * {@link #onDataUplink}, a JoinRequest through {@link #onJoinRequest}. Each step either passes the context on or
 * refuses the frame with an {@link UplinkRefusal} (counted by reason, logged with a budget).
 */
public final class UplinkHandler {
  private static final Logger log = LoggerFactory.getLogger(UplinkHandler.class);
  private static final LogThrottle refusals = new LogThrottle(log, 10);
  private static final UUID FRAME_NAMESPACE = UUID.fromString("8c1f1d52-7a0e-4c4e-9a55-1f0c2b7d9e31");

  private final Dedup dedup;
  private final SessionStore sessions;
  private final FrameStore frames;
  private final DeviceStatus status;
  private final MacHandler macs;
  private final DeviceEvents events;
  private final DownlinkScheduler downlinks;
  private final JoinServer joinServer;
  private final UplinkTelemetry telemetry;
  private final LorawanSettings settings;
  private final LorawanMeters meters;
  private final RandomGenerator random;

  public UplinkHandler(Dedup dedup, SessionStore sessions, FrameStore frames, DeviceStatus status, MacHandler macs,
      DeviceEvents events,
      DownlinkScheduler downlinks, JoinServer joinServer, UplinkTelemetry telemetry, LorawanSettings settings,
      LorawanMeters meters, RandomGenerator random) {
    this.dedup = dedup;
    this.sessions = sessions;
    this.frames = frames;
    this.status = status;
    this.macs = macs;
    this.events = events;
    this.downlinks = downlinks;
    this.joinServer = joinServer;
    this.telemetry = telemetry;
    this.settings = settings;
    this.meters = meters;
    this.random = random;
  }

  /** One gateway's copy of a frame; completes when it was handled, refused or left to the copy that won. */
  public Future<Void> receive(UplinkFrame copy) {
    PhyPayload phy;
    try {
      phy = PhyPayload.decode(copy.phyPayload());
    } catch (FrameException e) {
      meters.uplinkRefused(e.label());
      refusals.info("frame from gateway {} refused: {}", copy.rxInfo().gatewayId(), e.getMessage());
      return Future.succeededFuture();
    }
    boolean handled = phy instanceof JoinRequest
        || phy instanceof DataFrame d && d.direction() == Direction.UPLINK;
    if (!handled) {
      meters.uplinkRefused(UplinkRefusal.UNEXPECTED_MTYPE);
      return Future.succeededFuture();
    }
    String key = Dedup.frameKey(copy.phyPayload());
    return dedup.collect(key, copy.rxInfo()).compose(won -> {
      if (won.isEmpty()) {
        meters.dedupCopy();
        return Future.succeededFuture();
      }
      Future<Void> done = phy instanceof JoinRequest join
          ? onJoinRequest(join, key, won.get())
          : onDataUplink(new UplinkContext(copy.phyPayload(), (DataFrame) phy, key, won.get()));
      return done.recover(this::refused);
    }, err -> {
      meters.uplinkRefused(UplinkRefusal.DEDUP_UNAVAILABLE);
      refusals.warn("uplink from gateway {} not handled: dedup failed ({})", copy.rxInfo().gatewayId(),
          String.valueOf(err));
      return Future.succeededFuture();
    });
  }

  // ---- data frames

  /** A data uplink, once, with every gateway's reception. */
  Future<Void> onDataUplink(UplinkContext ctx) {
    return findSessions(ctx)
        .compose(this::checkMic)
        .map(this::rejectReplay)
        .map(this::decryptFrmPayload)
        .compose(this::handleMacCommands)
        .compose(this::saveSession)
        .compose(this::storeFrame)
        .compose(this::markHeard)
        .compose(this::publishUplink)
        .compose(this::decodeTelemetry)
        .compose(this::scheduleDownlink)
        .onSuccess(c -> meters.uplinkAccepted(c.receivedAtMs()))
        .mapEmpty();
  }

  private Future<UplinkContext> findSessions(UplinkContext ctx) {
    DevAddr addr = ctx.frame.fhdr().devAddr();
    return sessions.byDevAddr(addr).map(found -> {
      if (found.isEmpty()) {
        throw new UplinkRefusal(UplinkRefusal.UNKNOWN_DEVADDR, "no session uses DevAddr " + addr.hex());
      }
      ctx.candidates = found;
      return ctx;
    });
  }

  /**
   * The session whose NwkSKey signs this frame, at the 32-bit counter its FCnt reconstructs to (several sessions may
   * share a DevAddr; the MIC tells them apart).
   */
  private Future<UplinkContext> checkMic(UplinkContext ctx) {
    if (signedBy(ctx, ctx.candidates)) {
      return Future.succeededFuture(ctx);
    }
    // Redis may know only some of the sessions on this address (one written to PostgreSQL while another's entry was
    // cached, a database restored under a kept Redis): the database decides, once, before the frame is refused
    DevAddr addr = ctx.frame.fhdr().devAddr();
    return sessions.byDevAddrFromDatabase(addr).map(found -> {
      if (!signedBy(ctx, found)) {
        throw new UplinkRefusal(UplinkRefusal.MIC_MISMATCH, "no session of DevAddr " + addr.hex() + " signs this frame");
      }
      return ctx;
    });
  }

  private static boolean signedBy(UplinkContext ctx, List<DeviceSession> candidates) {
    for (DeviceSession s : candidates) {
      long fCnt = counterFor(s, ctx.frame.fhdr().fCnt());
      if (Mic.matchesData(ctx.frame, s.keys().nwkSKey(), fCnt)) {
        ctx.session(s);
        ctx.fCnt = fCnt;
        return true;
      }
    }
    return false;
  }

  /** The 32-bit counter to check the MIC with: the reconstruction when it is plausible, else the on-air value. */
  private static long counterFor(DeviceSession s, int onAir) {
    FCnt.Outcome outcome = FCnt.reconstruct(s.fCntUp(), onAir);
    if (outcome instanceof FCnt.Accepted a) {
      return a.fCnt();
    } else if (outcome instanceof FCnt.Retransmission r) {
      return r.fCnt();
    } else if (outcome instanceof FCnt.Replay r) {
      return r.fCnt();
    }
    return onAir;
  }

  private UplinkContext rejectReplay(UplinkContext ctx) {
    FCnt.Outcome outcome = FCnt.reconstruct(ctx.session.fCntUp(), ctx.frame.fhdr().fCnt());
    if (outcome instanceof FCnt.Retransmission r) {
      throw new UplinkRefusal(UplinkRefusal.RETRANSMISSION, "FCnt " + r.fCnt() + " of " + ctx.session.devEui()
          + " again");
    } else if (outcome instanceof FCnt.Replay r) {
      throw new UplinkRefusal(UplinkRefusal.REPLAY, "FCnt " + r.fCnt() + " of " + ctx.session.devEui()
          + " is below the next expected " + ctx.session.fCntUp());
    } else if (outcome instanceof FCnt.GapTooLarge g) {
      throw new UplinkRefusal(UplinkRefusal.FCNT_GAP, g.gap() + " frames lost by " + ctx.session.devEui());
    }
    return ctx;
  }

  private UplinkContext decryptFrmPayload(UplinkContext ctx) {
    if (ctx.frame.fPort().isPresent()) {
      ctx.payload = FrmCipher.decrypt(ctx.frame, ctx.session.keys(), ctx.fCnt);
    }
    return ctx;
  }

  /** MAC commands in FOpts, or the whole (decrypted) payload on FPort 0. */
  private Future<UplinkContext> handleMacCommands(UplinkContext ctx) {
    boolean portZero = ctx.frame.fPort().isPresent() && ctx.frame.fPort().getAsInt() == 0;
    Bytes octets = portZero ? ctx.payload : ctx.frame.fhdr().fOpts();
    if (octets.isEmpty()) {
      return Future.succeededFuture(ctx);
    }
    List<MacCommand> commands;
    try {
      commands = MacCommands.decode(Direction.UPLINK, octets);
    } catch (MacCommandException e) {
      meters.uplinkRefused("mac-" + e.label()); // the frame stays good: the commands before the bad one count
      commands = e.parsed();
    }
    return macs.handle(ctx.session.deviceId(), commands, ctx.rxInfo).map(answers -> {
      ctx.macAnswers.addAll(answers);
      return ctx;
    });
  }

  /** The next expected FCnt, the RX facts of this uplink, and what its ACK bit settled of earlier downlinks. */
  private Future<UplinkContext> saveSession(UplinkContext ctx) {
    DeviceSession s = ctx.session;
    return downlinks.settle(s, ctx.frame.fhdr().fCtrl().ack(), ctx.receivedAtMs()).compose(state -> {
      RegionParams region = s.regionParams();
      OptionalInt dr = DataRate.parseLora(ctx.best().datr())
          .map(r -> region.dataRateIndex(r, Direction.UPLINK)).orElse(OptionalInt.empty());
      dr.ifPresent(d -> state.put("lastDr", d));
      state.put("lastUplinkAt", Instant.ofEpochMilli(ctx.receivedAtMs()).toString());
      DeviceSession next = s.withCounters(ctx.fCnt + 1, s.nFCntDown(), state);
      ctx.session(next);
      return sessions.saveAfterUplink(next).map(open -> {
        ctx.commandsOpen = open;
        return ctx;
      });
    });
  }

  private Future<UplinkContext> storeFrame(UplinkContext ctx) {
    Integer fPort = ctx.frame.fPort().isPresent() ? ctx.frame.fPort().getAsInt() : null;
    return frames.insert(new FrameStore.Frame(frameId(ctx), ctx.session.deviceId(), "network-server", ctx.fCnt, fPort,
        ctx.payload.toArray(), ctx.confirmed(), rxSummary(ctx.rxInfo), ctx.receivedAtMs())).map(ctx);
  }

  private Future<UplinkContext> markHeard(UplinkContext ctx) {
    RxInfo best = ctx.best();
    return status.heard(ctx.session.deviceId(), ctx.receivedAtMs(), best.rssi(), best.snr()).map(ctx);
  }

  private Future<UplinkContext> publishUplink(UplinkContext ctx) {
    DeviceSession s = ctx.session;
    JsonObject data = new JsonObject().put("devEui", s.devEui()).put("fCnt", ctx.fCnt)
        .put("fPort", ctx.frame.fPort().isPresent() ? ctx.frame.fPort().getAsInt() : null)
        .put("data", ctx.payload.hex()).put("confirmed", ctx.confirmed()).put("rxInfo", rxSummary(ctx.rxInfo))
        .put("source", "network-server");
    return events.publish(DeviceEvent.Types.LORAWAN_UPLINK, s.tenantId(), s.deviceId(), "uplink/" + ctx.fCnt + "/"
        + ctx.frameKey, ctx.receivedAtMs(), data).map(ctx);
  }

  private Future<UplinkContext> decodeTelemetry(UplinkContext ctx) {
    if (ctx.frame.fPort().isEmpty() || ctx.frame.fPort().getAsInt() == 0) {
      return Future.succeededFuture(ctx);
    }
    DeviceSession s = ctx.session;
    return telemetry.decode(s.tenantId(), s.deviceId(), s.devEui(), s.payloadCodec(), ctx.frame.fPort().getAsInt(),
        ctx.payload.toArray(), ctx.receivedAtMs()).map(ctx);
  }

  private Future<UplinkContext> scheduleDownlink(UplinkContext ctx) {
    return downlinks.afterUplink(ctx).map(ctx);
  }

  private UUID frameId(UplinkContext ctx) {
    return EventIds.v5(FRAME_NAMESPACE, ctx.session.devEui() + "/" + ctx.fCnt + "/" + ctx.frameKey);
  }

  static JsonArray rxSummary(List<RxInfo> rxInfo) {
    JsonArray out = new JsonArray();
    rxInfo.forEach(r -> out.add(r.summary()));
    return out;
  }

  // ---- joins

  /** A JoinRequest, once: the join server decides, a new session replaces the old, the JoinAccept goes out. */
  Future<Void> onJoinRequest(JoinRequest request, String frameKey, List<RxInfo> rxInfo) {
    DevAddr devAddr = DevAddr.random(settings.netId(), random);
    return joinServer.join(request, new JoinServer.Terms(devAddr, settings.rx1DelaySeconds()))
        .compose(accepted -> sessions.byDevEui(accepted.devEui()).compose(previous -> {
          RegionParams region = RegionParams.byName(accepted.region()).orElseThrow();
          DeviceSession session = new DeviceSession(accepted.deviceId(), accepted.tenantId(), accepted.devEui(),
              accepted.region(), accepted.macVersion(), accepted.payloadCodec(), accepted.devAddr(), "otaa",
              accepted.keys(), sessions.seal(accepted.keys().nwkSKey(), accepted.devEui()),
              sessions.seal(accepted.keys().appSKey(), accepted.devEui()), 0, 0,
              DeviceSession.initialState(region, settings.rx1DelaySeconds()));
          return sessions.create(session, previous.map(DeviceSession::devAddr))
              .compose(v -> downlinks.joinAccept(session, rxInfo, accepted.accept()))
              .compose(v -> events.publish(DeviceEvent.Types.LORAWAN_JOIN, accepted.tenantId(), accepted.deviceId(),
                  "join/" + accepted.joinNonce(), System.currentTimeMillis(),
                  new JsonObject().put("devEui", accepted.devEui()).put("devAddr", accepted.devAddr().hex())));
        }))
        .onSuccess(v -> meters.joinAccepted());
  }

  private Future<Void> refused(Throwable err) {
    if (err instanceof UplinkRefusal r) {
      meters.uplinkRefused(r.reason());
      refusals.info("uplink refused: {}", r.getMessage());
      return Future.succeededFuture();
    }
    meters.uplinkRefused("internal");
    refusals.warn("uplink not handled: {}", String.valueOf(err));
    return Future.failedFuture(err);
  }
}
