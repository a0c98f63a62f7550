package io.gridline.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.gridline.runtime.GridlineConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * How this node joins the cluster: Hazelcast (vertx-hazelcast's default config, which carries the {@code __vertx.*}
 * map settings, with Gridline's network on top) and the clustered event bus.
 */
final class ClusterSetup {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterSetup.class);

  private ClusterSetup() {}

  static HazelcastClusterManager clusterManager(GridlineConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.string("cluster.name"));
    // join at once instead of waiting 5 s for others; no calls home; logs through slf4j like the rest of the node
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // Members that started alone because their seeds were slow (join timeout) find each other within seconds,
    // not after Hazelcast's default 5 minutes.
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    // the node leaves the cluster itself on SIGTERM, within shutdown.timeout-ms
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.graceful.shutdown.max.wait",
        Long.toString(Math.max(1, config.nonNegativeLong("shutdown.timeout-ms") / 2000)));

    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(config.port("cluster.port")).setPortAutoIncrement(true);
    String host = config.string("cluster.host");
    if (!isWildcard(host)) {
      net.getInterfaces().setEnabled(true).addInterface(ipOf(host));
      hz.setProperty("hazelcast.socket.bind.any", "false");
    } else {
      // Hazelcast's open-source edition authenticates no member: anything that reaches this port can join
      log.warn("cluster: cluster.host={} binds Hazelcast on every interface; it has no member authentication, so bind "
          + "it to a private address", host);
    }
    config.optString("cluster.public-host").ifPresent(net::setPublicAddress);

    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (config.bool("cluster.kubernetes")) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true);
    } else {
      List<String> members = config.list("cluster.members");
      // a listed member that does not answer (not started yet, or one of the ports Hazelcast tries after the given
      // one) holds a lone node's start for this long: Hazelcast's 5 s made every cold start 5 s slower
      join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(ipOf(host)) : members)
          .setConnectionTimeoutSeconds(Math.max(1, config.nonNegativeInt("cluster.join-timeout-seconds")));
    }
    return new HazelcastClusterManager(hz);
  }

  /**
   * The clustered event bus: bound to {@code cluster.host} on a free port, reached at the public host; with TLS and
   * required client certificates when {@code cluster.tls.*} gave this member its files ({@link ClusterTls}).
   */
  static EventBusOptions eventBus(GridlineConfig config, java.util.Optional<ClusterTls.Files> tls) {
    EventBusOptions options = new EventBusOptions()
        .setHost(config.string("cluster.host"))
        .setPort(0)
        .setClusterPublicHost(publicHost(config));
    return tls.map(files -> ClusterTls.apply(options, files)).orElse(options);
  }

  /** Where other members (and operators reading {@code /cluster}) reach this node. */
  static String publicHost(GridlineConfig config) {
    return config.optString("cluster.public-host").orElseGet(() -> {
      String host = config.string("cluster.host");
      if (!isWildcard(host)) {
        return host;
      }
      try {
        return InetAddress.getLocalHost().getHostAddress();
      } catch (UnknownHostException e) {
        return "127.0.0.1";
      }
    });
  }

  private static boolean isWildcard(String host) {
    return host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
  }

  /** Hazelcast's interface filter takes addresses, not names. */
  private static String ipOf(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new InvalidConfigException("invalid value for cluster.host (env GRIDLINE_CLUSTER_HOST): unknown host " + host);
    }
  }
}
