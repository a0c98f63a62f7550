package io.gridline.node;

import io.gridline.runtime.EnvNames;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.SecretBox;
import io.gridline.runtime.Tokens;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the node's secrets before any verticle starts, so verticles only read them from the config:
 * {@code secrets.encryption-key} (given, or generated into the data dir when {@code secrets.generate-encryption-key}
 * is on, the dev profile; required otherwise) and {@code api.admin-key} (given, or generated into the data dir and
 * shown once). Generated files are mode 600 and reused on restart. Secrets are never logged.
 */
final class NodeSecrets {
  static final String ENCRYPTION_KEY = "secrets.encryption-key";
  static final String ADMIN_KEY = "api.admin-key";
  static final String ENCRYPTION_KEY_FILE = "encryption-key";
  static final String ADMIN_KEY_FILE = "admin-key";
  private static final Logger log = LoggerFactory.getLogger(NodeSecrets.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final JsonObject config;
  /** The typed view of {@code config}, which this class fills in. */
  private final GridlineConfig settings;
  private final Path dataDir;

  private NodeSecrets(JsonObject config, Path dataDir) {
    this.config = config;
    this.settings = GridlineConfig.of(config);
    this.dataDir = dataDir;
  }

  /**
   * Puts both secrets into {@code config}. Returns the lines to show the operator (the admin key, once, when it was
   * generated; where it is kept otherwise).
   */
  static List<String> resolve(JsonObject config, Path dataDir, boolean deploysApi) {
    NodeSecrets secrets = new NodeSecrets(config, dataDir);
    List<String> console = new ArrayList<>();
    secrets.resolveEncryptionKey();
    if (deploysApi) {
      secrets.resolveAdminKey(console);
    }
    return console;
  }

  private void resolveEncryptionKey() {
    String given = settings.optString(ENCRYPTION_KEY).orElse("");
    if (!given.isEmpty()) {
      requireValidKey(given, ENCRYPTION_KEY + " (env " + EnvNames.forKey(ENCRYPTION_KEY) + ")");
      return;
    }
    if (!settings.bool("secrets.generate-encryption-key")) {
      throw new InvalidConfigException(ENCRYPTION_KEY + " (env " + EnvNames.forKey(ENCRYPTION_KEY) + ") is not set: "
          + "give it 32 random bytes in base64 (openssl rand -base64 32), or set secrets.generate-encryption-key=true "
          + "to keep a generated one in " + dataDir + " (the dev profile does: --config config/dev.yaml)");
    }
    Path file = dataDir.resolve(ENCRYPTION_KEY_FILE);
    String key = readSecret(file);
    if (key != null) {
      requireValidKey(key, file.toString());
      log.info("secrets: encryption key read from {}", file);
    } else {
      key = SecretBox.generateKey();
      writeSecret(file, key);
      log.info("secrets: encryption key generated into {} (back it up: secrets encrypted under it are lost without it)",
          file);
    }
    config.put(ENCRYPTION_KEY, key);
  }

  private void resolveAdminKey(List<String> console) {
    if (settings.optString(ADMIN_KEY).isPresent()) {
      return;
    }
    Path file = dataDir.resolve(ADMIN_KEY_FILE);
    String key = readSecret(file);
    if (key != null) {
      console.add("Admin API key: saved in " + file);
    } else {
      key = Tokens.generate(Tokens.API_KEY_PREFIX);
      writeSecret(file, key);
      console.add("Admin API key: " + key + " (saved in " + file + ")");
      if (settings.bool("cluster.enabled")) {
        log.warn("secrets: generated an admin key for this node only; give every cluster member the same {} (env {})",
            ADMIN_KEY, EnvNames.forKey(ADMIN_KEY));
      }
    }
    config.put(ADMIN_KEY, key);
  }

  private static void requireValidKey(String key, String where) {
    try {
      SecretBox.fromBase64(key);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("invalid value for " + where + ": " + e.getMessage());
    }
  }

  private static String readSecret(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      String s = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (s.isEmpty()) {
        throw new InvalidConfigException(file + " is empty: delete it to generate a new secret, or fill it in");
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes through a temp file created owner-only, then moves it in place, so the secret is never world-readable. */
  private static void writeSecret(Path file, String secret) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException raced) {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
