package io.gridline.node;

import io.gridline.contracts.node.NodeAddresses;
import io.gridline.contracts.node.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster-wide map {@code gridline.nodes}: nodeId → {@link NodeInfo} as JSON. Each node writes its entry once it
 * runs and removes it when it stops; a node that died without removing it is left out by checking the entry's member
 * id against the cluster manager's live members. On a single node the map is local.
 */
final class ClusterDirectory {
  private final Vertx vertx;
  private final ClusterManager clusterManager;
  private NodeInfo announced;

  /** @param clusterManager null when the node is not clustered */
  ClusterDirectory(Vertx vertx, ClusterManager clusterManager) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
  }

  /** This node's member id in the cluster manager, empty when not clustered. */
  String clusterNodeId() {
    return clusterManager == null ? "" : clusterManager.getNodeId();
  }

  /** Writes this node's entry; fails when a live member already uses the same node id. */
  Future<Void> announce(NodeInfo self) {
    return map().compose(map -> map.get(self.nodeId())
        .compose(existing -> {
          if (existing != null) {
            NodeInfo other = fromJson(existing);
            if (!other.clusterNodeId().equals(self.clusterNodeId()) && alive(other, liveMembers())) {
              return Future.failedFuture(new InvalidConfigException("node.id " + self.nodeId() + " is already used by "
                  + "the cluster member at " + other.address() + ": give each node its own node.id (env GRIDLINE_NODE_ID)"));
            }
          }
          return map.put(self.nodeId(), toJson(self));
        })
        .onSuccess(v -> announced = self));
  }

  /** Removes this node's entry (if it wrote one). */
  Future<Void> withdraw() {
    NodeInfo self = announced;
    if (self == null) {
      return Future.succeededFuture();
    }
    announced = null;
    return map().compose(map -> map.removeIfPresent(self.nodeId(), toJson(self))).mapEmpty();
  }

  /** The live members, by node id. */
  Future<List<NodeInfo>> members() {
    return map().compose(AsyncMap::entries).map(entries -> {
      Set<String> live = liveMembers();
      return entries.values().stream()
          .map(ClusterDirectory::fromJson)
          .filter(info -> alive(info, live))
          .sorted(Comparator.comparing(NodeInfo::nodeId))
          .toList();
    });
  }

  static JsonObject toJson(NodeInfo info) {
    return new JsonObject()
        .put("nodeId", info.nodeId())
        .put("address", info.address())
        .put("clusterNodeId", info.clusterNodeId())
        .put("verticles", new JsonArray(List.copyOf(info.verticles())));
  }

  static NodeInfo fromJson(JsonObject json) {
    List<String> verticles = json.getJsonArray("verticles", new JsonArray()).stream().map(String::valueOf).toList();
    return new NodeInfo(json.getString("nodeId"), json.getString("address"), json.getString("clusterNodeId", ""),
        verticles);
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(NodeAddresses.NODES_MAP);
  }

  private Set<String> liveMembers() {
    return clusterManager == null ? Set.of() : new HashSet<>(clusterManager.getNodes());
  }

  private boolean alive(NodeInfo info, Set<String> live) {
    return clusterManager == null || live.contains(info.clusterNodeId());
  }
}
