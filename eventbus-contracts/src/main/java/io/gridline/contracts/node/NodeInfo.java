package io.gridline.contracts.node;

import java.util.List;

/**
 * One member of the Gridline cluster as listed by {@code GET /cluster}.
 *
 * @param nodeId        the stable Gridline node id
 * @param address       host:port of the node's ops endpoint
 * @param clusterNodeId the cluster manager's member id (empty when not clustered)
 * @param verticles     names of the verticles the node runs
 */
public record NodeInfo(String nodeId, String address, String clusterNodeId, List<String> verticles) {
  public NodeInfo {
    verticles = List.copyOf(verticles);
  }
}
