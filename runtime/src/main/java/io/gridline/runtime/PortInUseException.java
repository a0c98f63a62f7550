package io.gridline.runtime;

/** A listener could not bind its port: names the config key and its environment variable so the operator can move it. */
public final class PortInUseException extends RuntimeException {
  private final String key;

  public PortInUseException(String key, String host, int port, Throwable cause) {
    super("port " + port + " on " + host + " is already in use: set " + key + " (env " + EnvNames.forKey(key)
        + ") to a free port", cause);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
