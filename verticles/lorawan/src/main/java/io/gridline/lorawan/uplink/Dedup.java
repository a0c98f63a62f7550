package io.gridline.lorawan.uplink;

import io.gridline.contracts.lorawan.LorawanKeys;
import io.gridline.lorawan.gateway.RxInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One uplink, however many gateways heard it, on however many nodes, as ChirpStack does it: every copy is added to
 * {@code up:collect:{<key>}} (SADD + PEXPIRE), and the node that sets {@code up:collect:{<key>}:lock} first (SET NX PX)
 * waits the dedup window, then reads every copy and handles the uplink once. A copy's three writes go to Redis as one
 * pipelined batch (one round trip, as ChirpStack pipelines them). The key is a hash of the PHYPayload, so
 * copies of one frame meet and a retransmission (a new frame on air with the same bytes) after the window is a new
 * uplink.
 */
public final class Dedup {
  private final Vertx vertx;
  private final Redis redis;
  private final long windowMs;

  public Dedup(Vertx vertx, Redis redis, long windowMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.windowMs = windowMs;
  }

  /** The Redis key part of a PHYPayload: hex SHA-256, the first 16 bytes. */
  public static String frameKey(byte[] phyPayload) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(phyPayload);
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Adds this copy; answers every copy once the window closed when this call won the lock, or empty when another
   * copy (here or on another node) handles the uplink.
   */
  public Future<Optional<List<RxInfo>>> collect(String frameKey, RxInfo copy) {
    String set = LorawanKeys.collect(frameKey);
    String ttl = Long.toString(windowMs * 2 + 1_000);
    return redis.batch(List.of(
            Request.cmd(Command.SADD).arg(set).arg(copy.toJson().encode()),
            Request.cmd(Command.PEXPIRE).arg(set).arg(ttl),
            Request.cmd(Command.SET).arg(LorawanKeys.collectLock(frameKey)).arg("1").arg("NX").arg("PX").arg(ttl)))
        .compose(replies -> {
          if (replies.get(2) == null) {
            return Future.succeededFuture(Optional.empty());
          }
          return (windowMs == 0 ? Future.<Void>succeededFuture() : vertx.timer(windowMs).<Void>mapEmpty())
              .compose(v -> redis.send(Request.cmd(Command.SMEMBERS).arg(set)))
              .map(members -> Optional.of(copies(members)));
        });
  }

  /**
   * Every gateway's best copy, best first: a gateway heard twice (a forwarder resending its PUSH_DATA, two nodes
   * subscribed to one gateway broker without a shared subscription) counts once.
   */
  private static List<RxInfo> copies(Response members) {
    List<RxInfo> all = new ArrayList<>(members.size());
    for (Response m : members) {
      all.add(RxInfo.fromJson(new JsonObject(m.toString())));
    }
    all.sort(RxInfo::better);
    Set<String> gateways = new HashSet<>();
    List<RxInfo> out = new ArrayList<>(all.size());
    for (RxInfo copy : all) {
      if (gateways.add(copy.gatewayId())) {
        out.add(copy);
      }
    }
    return out;
  }
}
