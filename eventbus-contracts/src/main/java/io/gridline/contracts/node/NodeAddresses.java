package io.gridline.contracts.node;

/** Addresses and shared-map names owned by the node launcher. */
public final class NodeAddresses {
  /** Cluster-wide map nodeId → {@link NodeInfo} JSON, written by each node at start, removed at stop. */
  public static final String NODES_MAP = "gridline.nodes";

  /** Address a node consumes for commands to devices whose live connection it holds: {@code gridline.node.<nodeId>.<verticle>}. */
  public static String nodeAddress(String nodeId, String verticle) {
    return "gridline.node." + nodeId + "." + verticle;
  }

  private NodeAddresses() {}
}
