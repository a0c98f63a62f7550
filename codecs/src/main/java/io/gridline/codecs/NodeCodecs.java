package io.gridline.codecs;

import io.gridline.contracts.node.NodeInfo;
import java.util.ArrayList;
import java.util.List;

/** Codecs for the node records. */
final class NodeCodecs {
  private NodeCodecs() {}

  static final RecordCodec<NodeInfo> NODE_INFO = new RecordCodec<>(NodeInfo.class) {
    @Override
    void write(WireWriter out, NodeInfo v) {
      out.writeString(v.nodeId()).writeString(v.address()).writeString(v.clusterNodeId()).writeInt(v.verticles().size());
      v.verticles().forEach(out::writeString);
    }

    @Override
    NodeInfo read(WireReader in) {
      String nodeId = in.readString();
      String address = in.readString();
      String clusterNodeId = in.readString();
      int n = in.readInt();
      List<String> verticles = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        verticles.add(in.readString());
      }
      return new NodeInfo(nodeId, address, clusterNodeId, verticles);
    }
  };

  static List<RecordCodec<?>> all() {
    return List.of(NODE_INFO);
  }
}
