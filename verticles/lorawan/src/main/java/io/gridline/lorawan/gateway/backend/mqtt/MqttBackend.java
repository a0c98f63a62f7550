package io.gridline.lorawan.gateway.backend.mqtt;

import io.gridline.lorawan.LorawanMeters;
import io.gridline.lorawan.gateway.DownlinkFrame;
import io.gridline.lorawan.gateway.GatewayBackend;
import io.gridline.lorawan.gateway.GatewayEvents;
import io.gridline.lorawan.gateway.RxInfo;
import io.gridline.lorawan.gateway.UplinkFrame;
import io.gridline.lorawan.storage.GatewayStore;
import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.gw.BridgeDownlink;
import io.gridline.lrwn.gw.BridgeStats;
import io.gridline.lrwn.gw.BridgeTxAck;
import io.gridline.lrwn.gw.BridgeUplink;
import io.gridline.lrwn.gw.GatewayBridgeException;
import io.gridline.lrwn.semtechudp.TxPacket;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.Readiness;
import io.gridline.runtime.UntrustedText;
import io.gridline.runtime.mqtt.BrokerLink;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ChirpStack Gateway Bridge MQTT backend ({@code lorawan.mqtt.*}): a client of the broker the bridges publish on,
 * subscribed to {@code <region>/gateway/+/event/{up,stats,ack}}; uplinks go to {@link GatewayEvents} like the UDP
 * backend's, stats to the gateway's row, acks to the downlink; downlinks are published as {@code DownlinkFrame}s on
 * {@code <region>/gateway/<id>/command/down}, timed as a delay after the uplink whose {@code context} they echo. A
 * message the codec refuses, or from a gateway that is not registered (unless
 * {@code lorawan.accept-unknown-gateways}), is counted and dropped. The connection is the runtime's
 * {@link BrokerLink}: re-established with backoff, readiness saying why while it is down.
 */
public final class MqttBackend implements GatewayBackend {
  static final String CHECK = "verticle.lorawan.mqtt";
  private static final Logger log = LoggerFactory.getLogger(MqttBackend.class);
  /** Downlink ids awaiting their ack, per node; older ones are forgotten (their ack is then only counted). */
  private static final int MAX_PENDING = 65_536;

  /** A downlink published, awaiting the gateway's ack. */
  private record Pending(String gatewayId, String downlinkId) {}

  private final Vertx vertx;
  private final MqttBackendSettings settings;
  private final boolean acceptUnknown;
  private final GatewayStore gateways;
  private final GatewayEvents events;
  private final Consumer<String> heard;
  private final LorawanMeters meters;
  private final LogThrottle throttle = new LogThrottle(log, 5);
  /** The region (topic prefix) each gateway was last heard under: its downlinks go there. */
  private final Map<String, String> regions = new HashMap<>();
  private final Map<Long, Pending> pending = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Pending> eldest) {
      return size() > MAX_PENDING;
    }
  };
  private final BrokerLink link;

  /**
   * @param heard called with a gateway id whenever one of its events arrives (the owner record in Redis is refreshed,
   *              so nodes without this backend route its downlinks here)
   */
  public MqttBackend(Vertx vertx, MqttBackendSettings settings, boolean acceptUnknown, GatewayStore gateways,
      GatewayEvents events, Consumer<String> heard, LorawanMeters meters) {
    this.vertx = vertx;
    this.settings = settings;
    this.acceptUnknown = acceptUnknown;
    this.gateways = gateways;
    this.events = events;
    this.heard = heard;
    this.meters = meters;
    this.link = new BrokerLink(vertx, "gateway broker", settings.display(), settings.host(), settings.port(),
        settings.clientOptions(), c -> c.publishHandler(this::onMessage), this::subscribe);
  }

  /** Returns at once: the first connection (and every later one) is made in the background. */
  @Override
  public Future<Void> start() {
    Readiness.of(vertx).register(CHECK, link::probe);
    link.start();
    return Future.succeededFuture();
  }

  /** Whether the subscriptions are in place (tests wait for it before publishing). */
  public boolean connected() {
    return link.up();
  }

  /** Subscribes on a new connection; the link is up once the broker granted every subscription. */
  private Future<Void> subscribe(MqttClient c) {
    return Future.future(promise -> {
      c.subscribeCompletionHandler((MqttSubAckMessage ack) -> {
        if (ack.grantedQoSLevels().stream().anyMatch(q -> q == 0x80)) {
          promise.tryFail("the broker refused the subscriptions " + settings.subscriptions().keySet()
              + (settings.shared() ? " (shared subscriptions: set lorawan.mqtt.shared-subscription=false)" : ""));
        } else {
          log.info("ChirpStack gateway bridges on {}: {}", settings.display(), settings.subscriptions().keySet());
          promise.tryComplete();
        }
      });
      c.subscribe(settings.subscriptions()).onFailure(promise::tryFail);
    });
  }

  private void onMessage(MqttPublishMessage msg) {
    String[] t = msg.topicName().split("/");
    if (t.length != 5 || !t[1].equals("gateway") || !t[3].equals("event")) {
      refused("unexpected-topic", msg.topicName(), "not <region>/gateway/<id>/event/<type>");
      return;
    }
    byte[] payload = msg.payload().getBytes();
    try {
      switch (t[4]) {
        case "up" -> onUp(t[0], t[2], BridgeUplink.fromJson(payload));
        case "stats" -> onStats(t[0], t[2], BridgeStats.fromJson(payload));
        case "ack" -> onAck(t[0], t[2], BridgeTxAck.fromJson(payload));
        default -> refused("unexpected-topic", msg.topicName(), "event " + t[4] + " is not handled");
      }
    } catch (GatewayBridgeException e) {
      refused(e.label(), msg.topicName(), e.getMessage());
    } catch (RuntimeException e) {
      meters.mqttMessageRefused("internal");
      log.warn("gateway bridge message on {} could not be read", msg.topicName(), e);
    }
  }

  private void refused(String reason, String topic, String detail) {
    meters.mqttMessageRefused(reason);
    throttle.info("gateway bridge message on {} refused ({}): {}", UntrustedText.forLog(topic), reason,
        UntrustedText.forLog(detail));
  }

  /** Whether the gateway of the topic is the one the payload names, and may be heard at all. */
  private Future<Boolean> admitted(String topicGateway, String gatewayId, String topic) {
    if (!topicGateway.equalsIgnoreCase(gatewayId)) {
      refused("gateway-mismatch", topic, "the payload names gateway " + gatewayId);
      return Future.succeededFuture(false);
    }
    Future<Boolean> known = acceptUnknown ? Future.succeededFuture(true) : gateways.isRegistered(gatewayId);
    return known.map(ok -> {
      if (!ok) {
        meters.mqttMessageRefused("unknown-gateway");
      }
      return ok;
    });
  }

  private void onUp(String region, String topicGateway, BridgeUplink up) {
    String gatewayId = up.gatewayId();
    admitted(topicGateway, gatewayId, region + "/gateway/" + topicGateway + "/event/up").onSuccess(ok -> {
      if (!ok) {
        return;
      }
      meters.mqttMessage("up");
      regions.put(gatewayId, region);
      heard.accept(gatewayId);
      if (up.crcFailed()) {
        meters.rxpkDropped("crc-failed");
        return;
      }
      RxInfo info = new RxInfo(gatewayId, up.rssi(), up.snr(), up.tmst().orElse(0), up.frequencyHz(),
          up.dataRate().loraDatr(), up.channel(), Base64.getEncoder().encodeToString(up.context().toArray()),
          System.currentTimeMillis());
      events.uplink(new UplinkFrame(up.phyPayload().toArray(), info));
      gateways.seen(gatewayId, null)
          .onFailure(err -> throttle.warn("could not record gateway {} as seen: {}", gatewayId, err.getMessage()));
    });
  }

  private void onStats(String region, String topicGateway, BridgeStats stats) {
    String gatewayId = stats.gatewayId();
    admitted(topicGateway, gatewayId, region + "/gateway/" + topicGateway + "/event/stats").onSuccess(ok -> {
      if (!ok) {
        return;
      }
      meters.mqttMessage("stats");
      regions.put(gatewayId, region);
      heard.accept(gatewayId);
      gateways.seen(gatewayId, statsJson(stats))
          .onFailure(err -> throttle.warn("could not record gateway {} stats: {}", gatewayId, err.getMessage()));
    });
  }

  private void onAck(String region, String topicGateway, BridgeTxAck ack) {
    meters.mqttMessage("ack");
    String error = ack.scheduled() ? "none" : ack.status().toLowerCase(java.util.Locale.ROOT);
    meters.txAck(error);
    Pending p = pending.remove(ack.downlinkId());
    if (p != null && p.gatewayId().equals(ack.gatewayId()) && topicGateway.equalsIgnoreCase(ack.gatewayId())) {
      events.txAck(p.gatewayId(), p.downlinkId(), ack.scheduled() ? Optional.empty() : Optional.of(ack.status()));
    }
  }

  /** The gateway's stats as kept in {@code lorawan_gateways.stats}, under the UDP backend's names. */
  static JsonObject statsJson(BridgeStats s) {
    JsonObject j = new JsonObject();
    s.time().ifPresent(v -> j.put("time", v));
    s.location().ifPresent(l -> j.put("latitude", l.latitude()).put("longitude", l.longitude())
        .put("altitude", l.altitude()));
    return j.put("rxReceived", s.rxReceived()).put("rxReceivedOk", s.rxReceivedOk())
        .put("txReceived", s.txReceived()).put("txEmitted", s.txEmitted());
  }

  /** The region a gateway's downlinks are published under: where it was heard, or the only one configured. */
  private Optional<String> regionOf(String gatewayId) {
    String r = regions.get(gatewayId);
    if (r != null) {
      return Optional.of(r);
    }
    return settings.regions().size() == 1 ? Optional.of(settings.regions().get(0)) : Optional.empty();
  }

  @Override
  public boolean holds(String gatewayId) {
    return connected() && regions.containsKey(gatewayId);
  }

  @Override
  public Future<Void> send(DownlinkFrame frame) {
    Optional<String> region = regionOf(frame.gatewayId());
    Optional<MqttClient> c = link.client();
    if (c.isEmpty() || region.isEmpty()) {
      return Future.failedFuture("gateway " + frame.gatewayId() + " is not reachable through the gateway broker "
          + settings.display() + (link.problem() == null ? "" : " (" + link.problem() + ")"));
    }
    TxPacket txpk = frame.txpk();
    Bytes context = Bytes.of(Base64.getDecoder().decode(frame.context()));
    long uplinkTmst = BridgeUplink.tmstOf(context).orElse(0);
    long delay = (txpk.tmst().orElse(uplinkTmst) - uplinkTmst) & 0xFFFF_FFFFL;
    long downlinkId = ThreadLocalRandom.current().nextLong(1, 0x1_0000_0000L);
    pending.put(downlinkId, new Pending(frame.gatewayId(), frame.downlinkId()));
    JsonObject down = new BridgeDownlink(frame.gatewayId(), downlinkId, txpk.data(), txpk.frequencyHz(),
        txpk.powe(), txpk.dataRate(), delay, context).toJson();
    meters.mqttMessage("down");
    return c.get().publish(region.get() + "/gateway/" + frame.gatewayId() + "/command/down", down.toBuffer(),
        MqttQoS.AT_MOST_ONCE, false, false).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    Readiness.of(vertx).unregister(CHECK);
    return link.stop();
  }
}
