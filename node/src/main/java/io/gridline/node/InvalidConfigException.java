package io.gridline.node;

/**
 * The command line or the configuration is wrong: a bad flag, an unknown key, a value of the wrong type, an unknown
 * verticle, a required key left unset. The message names the key (and its environment variable) so the operator can
 * fix it; the process exits with {@link Main#EXIT_CONFIG}.
 */
public final class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
