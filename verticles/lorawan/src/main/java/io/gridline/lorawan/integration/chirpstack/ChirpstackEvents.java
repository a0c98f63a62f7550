package io.gridline.lorawan.integration.chirpstack;

import io.gridline.contracts.events.DeviceEvent;
import io.gridline.contracts.lorawan.IntegrationEvent;
import io.gridline.contracts.lorawan.IntegrationEvent.Types;
import io.gridline.lorawan.DeviceEvents;
import io.gridline.lorawan.LorawanMeters;
import io.gridline.lorawan.storage.DeviceStatus;
import io.gridline.lorawan.storage.FrameStore;
import io.gridline.lorawan.uplink.UplinkTelemetry;
import io.gridline.runtime.device.EventIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Applies an event of an external ChirpStack (seed 001) that the api accepted ({@link IntegrationEvent}, ChirpStack
 * v4's JSON form; proto3 default fields may be absent):
 * <ul>
 *   <li>{@code up}: {@code storeFrame → markHeard → publishUplink → decodeTelemetry} — the frame in the same list as
 *   the network server's ({@code source: chirpstack}), last seen and the best gateway's RSSI/SNR, {@code lorawan.uplink}
 *   on {@code gridline.events}, and the payload decoded by the device's codec into {@code gridline.telemetry.decoded}
 *   (undecodable: the telemetry DLQ);</li>
 *   <li>{@code status}: battery level and margin; {@code join}: joined, {@code lorawan.join}; {@code ack}:
 *   {@code lorawan.ack}; {@code log}: kept in {@code lorawan_device_log}; {@code txack}: counted.</li>
 * </ul>
 * Every write is idempotent (the frame id and event ids derive from the event), so an event applied twice — Kafka
 * delivers at least once — changes nothing more. {@link #check} tells a body that does not hold what its type needs
 * (the feed parks it) before anything is written.
 */
public final class ChirpstackEvents {
  static final UUID FRAME_NAMESPACE = UUID.fromString("0e6f3c55-2b7a-4d1e-8f0a-6c2d9b4e7a13");
  private final Pool pool;
  private final FrameStore frames;
  private final DeviceStatus status;
  private final DeviceEvents events;
  private final UplinkTelemetry telemetry;
  private final LorawanMeters meters;

  public ChirpstackEvents(Pool pool, FrameStore frames, DeviceStatus status, DeviceEvents events,
      UplinkTelemetry telemetry, LorawanMeters meters) {
    this.pool = pool;
    this.frames = frames;
    this.status = status;
    this.events = events;
    this.telemetry = telemetry;
    this.meters = meters;
  }

  /** An uplink as ChirpStack reported it. */
  record Up(IntegrationEvent event, String cause, Long fCnt, Integer fPort, byte[] data, boolean confirmed,
      JsonArray rxInfo, Integer bestRssi, Double bestSnr) {

    static Up of(IntegrationEvent e) {
      JsonObject b = e.body();
      String dedup = b.getString("deduplicationId");
      Long fCnt = b.getValue("fCnt") == null ? null : b.getLong("fCnt");
      Integer fPort = b.getValue("fPort") == null ? null : b.getInteger("fPort");
      byte[] data = b.getString("data") == null ? new byte[0] : Base64.getDecoder().decode(b.getString("data"));
      String cause = "chirpstack/up/" + (dedup != null ? dedup : fCnt + "/" + e.receivedAt());
      JsonArray rx = new JsonArray();
      Integer bestRssi = null;
      Double bestSnr = null;
      for (Object o : b.getJsonArray("rxInfo", new JsonArray())) {
        JsonObject r = (JsonObject) o;
        Integer rssi = r.getValue("rssi") == null ? null : r.getInteger("rssi");
        Double snr = r.getValue("snr") == null ? null : r.getDouble("snr");
        rx.add(new JsonObject().put("gatewayId", r.getString("gatewayId")).put("rssi", rssi).put("snr", snr));
        boolean better = bestSnr == null || snr != null && (snr > bestSnr
            || snr.equals(bestSnr) && rssi != null && (bestRssi == null || rssi > bestRssi));
        if (snr != null && better || bestSnr == null && bestRssi == null) {
          bestSnr = snr;
          bestRssi = rssi;
        }
      }
      return new Up(e, cause, fCnt, fPort, data, b.getBoolean("confirmed", false), rx, bestRssi, bestSnr);
    }
  }

  /**
   * Reads what the event's type needs from its body without writing anything.
   *
   * @throws IllegalArgumentException or {@link ClassCastException} when the body does not hold it (a malformed event)
   */
  public void check(IntegrationEvent e) {
    JsonObject b = e.body();
    if (b == null || e.devEui() == null || e.tenantId() == null) {
      throw new IllegalArgumentException("an integration event needs tenantId, devEui and body");
    }
    switch (e.event()) {
      case Types.UP -> Up.of(e);
      case Types.STATUS -> {
        b.getDouble("batteryLevel");
        b.getInteger("margin");
        b.getBoolean("batteryLevelUnavailable");
      }
      case Types.JOIN -> b.getString("devAddr");
      case Types.ACK -> {
        b.getString("queueItemId");
        b.getBoolean("acknowledged");
        b.getLong("fCntDown");
      }
      case Types.LOG -> {
        b.getString("level");
        b.getString("description");
      }
      case Types.TXACK -> { }
      default -> throw new IllegalArgumentException("unknown integration event " + e.event());
    }
  }

  /** Completes once every write of the event is done (Kafka acknowledged its events); fails to be retried or parked. */
  public Future<Void> apply(IntegrationEvent e) {
    Future<Void> applied = switch (e.event()) {
      case Types.UP -> onUp(Up.of(e));
      case Types.STATUS -> onStatus(e);
      case Types.JOIN -> onJoin(e);
      case Types.ACK -> onAck(e);
      case Types.LOG -> onLog(e);
      case Types.TXACK -> Future.succeededFuture();
      default -> Future.failedFuture(new IllegalArgumentException("unknown integration event " + e.event()));
    };
    return applied.onSuccess(v -> meters.integrationEvent(e.source(), e.event()));
  }

  private Future<Void> onUp(Up up) {
    return Future.succeededFuture(up)
        .compose(this::storeFrame)
        .compose(this::markHeard)
        .compose(this::publishUplink)
        .compose(this::decodeTelemetry)
        .mapEmpty();
  }

  private Future<Up> storeFrame(Up up) {
    IntegrationEvent e = up.event();
    return frames.insert(new FrameStore.Frame(EventIds.v5(FRAME_NAMESPACE, e.devEui() + "/" + up.cause()),
        e.deviceId(), e.source(), up.fCnt(), up.fPort(), up.data(), up.confirmed(), up.rxInfo(), e.receivedAt()))
        .map(up);
  }

  private Future<Up> markHeard(Up up) {
    return status.heard(up.event().deviceId(), up.event().receivedAt(), up.bestRssi(), up.bestSnr()).map(up);
  }

  private Future<Up> publishUplink(Up up) {
    IntegrationEvent e = up.event();
    JsonObject data = new JsonObject().put("devEui", e.devEui()).put("fCnt", up.fCnt()).put("fPort", up.fPort())
        .put("data", HexFormat.of().formatHex(up.data())).put("confirmed", up.confirmed()).put("rxInfo", up.rxInfo())
        .put("source", e.source());
    return events.publish(DeviceEvent.Types.LORAWAN_UPLINK, e.tenantId(), e.deviceId(), up.cause(), e.receivedAt(),
        data).map(up);
  }

  private Future<Up> decodeTelemetry(Up up) {
    if (up.fPort() == null || up.fPort() == 0 || up.data().length == 0) {
      return Future.succeededFuture(up);
    }
    IntegrationEvent e = up.event();
    return codec(e.deviceId())
        .compose(codec -> telemetry.decode(e.tenantId(), e.deviceId(), e.devEui(), codec, up.fPort(), up.data(),
            e.receivedAt()))
        .map(up);
  }

  /** The device's payload codec; a registry device without a LoRaWAN row decodes by its model's sensor fields. */
  private Future<String> codec(long deviceId) {
    return pool.preparedQuery("SELECT payload_codec FROM lorawan_devices WHERE device_id = $1")
        .execute(Tuple.of(deviceId))
        .map(rows -> rows.size() == 0 ? "sensor-fields" : rows.iterator().next().getString(0));
  }

  private Future<Void> onStatus(IntegrationEvent e) {
    JsonObject b = e.body();
    Double battery = b.getBoolean("batteryLevelUnavailable", false) || b.getValue("batteryLevel") == null ? null
        : b.getDouble("batteryLevel");
    Integer margin = b.getValue("margin") == null ? null : b.getInteger("margin");
    return status.status(e.deviceId(), battery, margin)
        .compose(v -> status.heard(e.deviceId(), e.receivedAt(), null, null));
  }

  private Future<Void> onJoin(IntegrationEvent e) {
    String cause = "chirpstack/join/" + e.body().getString("deduplicationId", Long.toString(e.receivedAt()));
    return status.joined(e.deviceId(), e.receivedAt())
        .compose(v -> status.heard(e.deviceId(), e.receivedAt(), null, null))
        .compose(v -> events.publish(DeviceEvent.Types.LORAWAN_JOIN, e.tenantId(), e.deviceId(), cause,
            e.receivedAt(), new JsonObject().put("devEui", e.devEui()).put("devAddr", e.body().getString("devAddr"))
                .put("source", e.source())));
  }

  private Future<Void> onAck(IntegrationEvent e) {
    JsonObject b = e.body();
    String item = b.getString("queueItemId");
    return events.publish(DeviceEvent.Types.LORAWAN_ACK, e.tenantId(), e.deviceId(), "chirpstack/ack/"
            + (item != null ? item : Long.toString(e.receivedAt())), e.receivedAt(),
        new JsonObject().put("devEui", e.devEui()).put("queueItemId", item)
            .put("acknowledged", b.getBoolean("acknowledged", false))
            .put("fCntDown", b.getValue("fCntDown") == null ? null : b.getLong("fCntDown")).put("source", e.source()));
  }

  private Future<Void> onLog(IntegrationEvent e) {
    JsonObject b = e.body();
    Object context = b.getValue("context");
    return status.log(e.deviceId(), b.getString("level", "INFO"), String.valueOf(b.getValue("code", "UNKNOWN")),
        b.getString("description", ""), context instanceof JsonObject c ? c : new JsonObject(), e.receivedAt());
  }
}
