package io.gridline.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of the PEM file settings of the store clients (Redis, Kafka). Blocking: run at start, off any event loop. */
final class PemSettings {
  private PemSettings() {}

  /** A client certificate and its key go together; both must be readable. */
  static void requirePair(GridlineConfig config, String certKey, String keyKey) {
    boolean cert = config.optString(certKey).isPresent();
    boolean key = config.optString(keyKey).isPresent();
    if (cert != key) {
      throw new InvalidSetting(cert ? keyKey : certKey, "must be set together with " + (cert ? certKey : keyKey));
    }
    requireReadable(config, certKey);
    requireReadable(config, keyKey);
  }

  static void requireReadable(GridlineConfig config, String key) {
    config.optString(key).ifPresent(p -> {
      if (!Files.isReadable(Path.of(p))) {
        throw new InvalidSetting(key, p + " is not a readable file");
      }
    });
  }
}
