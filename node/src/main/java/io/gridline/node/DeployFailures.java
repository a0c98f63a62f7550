package io.gridline.node;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.PortInUseException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Why a verticle did not deploy, in the operator's terms. A verticle that could not bind names its port key itself
 * ({@code Listeners.explainBind}); when it did not, the node finds which of the verticle's declared port keys is taken,
 * so the message names the key and its environment variable rather than a bare "Address already in use".
 */
final class DeployFailures {
  private DeployFailures() {}

  static Throwable explain(DeploymentPlan.Deployment d, GridlineConfig config, Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof PortInUseException || t instanceof InvalidConfigException) {
        return t;
      }
    }
    boolean bindFailure = false;
    for (Throwable t = err; t != null; t = t.getCause()) {
      bindFailure |= t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use");
    }
    if (bindFailure) {
      for (String key : d.verticle().portKeys()) {
        int port = config.integer(key);
        String host = hostOf(config, key);
        if (port > 0 && !bindable(host, port)) { // 0 binds any port, -1 is a listener turned off
          return new PortInUseException(key, host, port, err);
        }
      }
    }
    return new IllegalStateException("verticle " + d.name() + " failed to start: " + Node.rootMessage(err), err);
  }

  /** The bind address of a port key: its section's {@code host} key ({@code mqtt.tls-port} → {@code mqtt.host}). */
  private static String hostOf(GridlineConfig config, String portKey) {
    String hostKey = portKey.substring(0, portKey.lastIndexOf('.') + 1) + "host";
    // a section that declares no host key binds every interface
    return config.has(hostKey) ? config.string(hostKey) : "0.0.0.0";
  }

  private static boolean bindable(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
