package io.gridline.runtime;

import io.vertx.core.Future;
import java.net.BindException;

/** Turns a failed bind into a {@link PortInUseException} naming the config key. */
public final class Listeners {
  private Listeners() {}

  public static <T> Future<T> explainBind(Future<T> listening, String key, String host, int port) {
    return listening.recover(err -> {
      Throwable t = err;
      while (t != null) {
        if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
          return Future.failedFuture(new PortInUseException(key, host, port, err));
        }
        t = t.getCause();
      }
      return Future.failedFuture(err);
    });
  }
}
