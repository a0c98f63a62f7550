package io.gridline.lorawan.uplink;

import io.gridline.contracts.lorawan.LorawanKeys;
import io.gridline.lorawan.gateway.RxInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
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
 * waits the dedup window, then reads every copy and handles the uplink once. The key is a hash of the PHYPayload, so
 * copies of one frame meet and a retransmission (a new frame on air with the same bytes) after the window is a new
 * uplink.
 */
public final class Dedup {
  private final Vertx vertx;
  private final RedisAPI redis;
  private final long windowMs;

  public Dedup(Vertx vertx, RedisAPI redis, long windowMs) {
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
    return redis.sadd(List.of(set, copy.toJson().encode()))
        .compose(v -> redis.pexpire(List.of(set, ttl)))
        .compose(v -> redis.set(List.of(LorawanKeys.collectLock(frameKey), "1", "NX", "PX", ttl)))
        .compose(won -> {
          if (won == null) {
            return Future.succeededFuture(Optional.empty());
          }
          return (windowMs == 0 ? Future.<Void>succeededFuture() : vertx.timer(windowMs).<Void>mapEmpty())
              .compose(v -> redis.smembers(set))
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
