package io.gridline.lorawan.gateway;

import io.gridline.contracts.lorawan.LorawanAddresses;
import io.gridline.contracts.lorawan.LorawanKeys;
import io.gridline.contracts.node.NodeAddresses;
import io.gridline.lrwn.semtechudp.SemtechPacketException;
import io.gridline.lrwn.semtechudp.TxPacket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a gateway's downlinks go: through this node's backend when it holds the gateway, else to the node recorded as
 * its owner in Redis ({@code gridline:owner:lorawan-gateway:<id>}, refreshed while its PULL_DATA keeps arriving) over
 * the event bus ({@code gridline.node.<owner>.lorawan}), whose backend sends it.
 */
public final class GatewayRouter {
  /** How long an owner record lives without a PULL_DATA (forwarders send one every 10 s or so). */
  static final long OWNER_TTL_MS = 60_000;
  /** The owner record is rewritten at most this often per gateway. */
  static final long OWNER_REFRESH_MS = 15_000;
  private final Vertx vertx;
  private final RedisAPI redis;
  private final String nodeId;
  private final List<GatewayBackend> backends;
  private final Map<String, Long> ownerWritten = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public GatewayRouter(Vertx vertx, RedisAPI redis, String nodeId, List<GatewayBackend> backends) {
    this.vertx = vertx;
    this.redis = redis;
    this.nodeId = nodeId;
    this.backends = backends;
  }

  /** Serves downlinks other nodes send for gateways this node holds. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(NodeAddresses.nodeAddress(nodeId, LorawanAddresses.VERTICLE), this::onRemote);
    return consumer.completion();
  }

  /** A gateway's PULL_DATA (or link) arrived here: this node owns it. */
  public void held(String gatewayId) {
    long now = System.currentTimeMillis();
    Long last = ownerWritten.get(gatewayId);
    if (last != null && now - last < OWNER_REFRESH_MS) {
      return;
    }
    ownerWritten.put(gatewayId, now);
    redis.set(List.of(LorawanKeys.gatewayOwner(gatewayId), nodeId, "PX", Long.toString(OWNER_TTL_MS)));
  }

  /** Sends the frame through whichever node holds its gateway; answers "local" or "remote". */
  public Future<String> send(DownlinkFrame frame) {
    for (GatewayBackend b : backends) {
      if (b.holds(frame.gatewayId())) {
        return b.send(frame).map("local");
      }
    }
    return redis.get(LorawanKeys.gatewayOwner(frame.gatewayId())).compose(owner -> {
      if (owner == null) {
        return Future.failedFuture("no node holds gateway " + frame.gatewayId() + " (no PULL_DATA within "
            + OWNER_TTL_MS / 1000 + " s)");
      }
      if (owner.toString().equals(nodeId)) {
        return Future.failedFuture("gateway " + frame.gatewayId() + " is recorded here but not connected");
      }
      return vertx.eventBus().request(NodeAddresses.nodeAddress(owner.toString(), LorawanAddresses.VERTICLE),
          frame.toJson()).map("remote");
    });
  }

  private void onRemote(Message<JsonObject> message) {
    JsonObject j = message.body();
    TxPacket txpk;
    try {
      txpk = TxPacket.fromJson(j.getJsonObject("txpk"));
    } catch (SemtechPacketException | RuntimeException e) {
      message.fail(400, "not a downlink: " + e.getMessage());
      return;
    }
    DownlinkFrame frame = new DownlinkFrame(j.getString("gatewayId"), txpk, j.getString("downlinkId"),
        j.getString("context", ""));
    for (GatewayBackend b : backends) {
      if (b.holds(frame.gatewayId())) {
        b.send(frame).onSuccess(v -> message.reply(true)).onFailure(err -> message.fail(503, err.getMessage()));
        return;
      }
    }
    message.fail(404, "gateway " + frame.gatewayId() + " is not held by node " + nodeId);
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
