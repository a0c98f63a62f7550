package io.gridline.node;

import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.GeneratedServerCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Makes the files of {@code cluster.tls.*} for a cluster whose nodes do not share a data dir (containers, machines): a
 * cluster CA (generated once in {@code <ca-dir>}, whose key never leaves it) and for each node id
 * {@code <out-dir>/<node-id>.{crt,key}.pem} signed by it, plus {@code <out-dir>/cluster-ca.crt.pem} to trust. Existing
 * files are kept while still valid, so running it again for a new node leaves the others' certificates alone.
 *
 * <pre>java -cp gridline-node.jar io.gridline.node.ClusterCertificates &lt;ca-dir&gt; &lt;out-dir&gt; &lt;node-id&gt;...</pre>
 */
public final class ClusterCertificates {
  private ClusterCertificates() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: java -cp gridline-node.jar io.gridline.node.ClusterCertificates <ca-dir> <out-dir> "
          + "<node-id>...");
      System.exit(2);
    }
    Path caDir = Path.of(args[0]);
    Path out = Path.of(args[1]);
    DeviceCertificateAuthority ca = DeviceCertificateAuthority.loadOrGenerate(caDir, "cluster-ca", "Gridline cluster CA");
    Files.createDirectories(out);
    Files.copy(caDir.resolve("cluster-ca.crt.pem"), out.resolve("cluster-ca.crt.pem"),
        StandardCopyOption.REPLACE_EXISTING);
    for (int i = 2; i < args.length; i++) {
      String nodeId = args[i];
      GeneratedServerCertificate.PemFiles files = GeneratedServerCertificate.loadOrGenerate(out, nodeId, ca,
          authority -> authority.issueNode(nodeId));
      System.out.println(nodeId + ": " + files.certPath() + ", " + files.keyPath());
    }
    System.out.println("trust: " + out.resolve("cluster-ca.crt.pem"));
  }
}
