package io.gridline.api;

import io.gridline.api.devices.DeviceInput;
import io.gridline.api.devices.DeviceRepository;
import io.gridline.api.devices.RegistryEvents;
import io.gridline.api.http.Caller;
import io.gridline.api.tenants.ApiKeyRepository;
import io.gridline.api.tenants.TenantRepository;
import io.gridline.contracts.registry.DeviceChanged.Change;
import io.gridline.runtime.Tokens;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev profile's {@code demo} tenant ({@code api.demo-tenant}): the four simulator devices and a write key, so the
 * simulators and a first curl work without setup. Fixed ids and {@code ON CONFLICT DO NOTHING} make it idempotent and
 * safe when several nodes start at once; only the instance whose insert created the key knows its token, so only it
 * writes the key file. Instances on one node take turns (a local lock), so the others find the file written.
 */
final class DemoTenant {
  static final UUID TENANT_ID = UUID.fromString("00000000-0000-4000-8000-00000000de30");
  static final UUID KEY_ID = UUID.fromString("00000000-0000-4000-8000-00000000de31");
  static final String TENANT_NAME = "demo";
  static final int MAX_DEVICES = 100;
  static final String KEY_FILE = "demo-api-key";
  static final List<DeviceInput> DEVICES = List.of(
      new DeviceInput(ExternalIds.MQTT, "aa:bb:cc:dd:ee:01", "faces2-01", new JsonObject()),
      new DeviceInput(ExternalIds.LORAWAN, "0102030405060708", "lora-sensor-01", new JsonObject()),
      new DeviceInput(ExternalIds.CHARGER, "04AB373B", "ap3000-pile-01", new JsonObject()),
      new DeviceInput(ExternalIds.INSTRUMENT, "LAB-001", "spectrometer-01", new JsonObject()));
  private static final Logger log = LoggerFactory.getLogger(DemoTenant.class);
  private static final String LOCK = "gridline.api.demo-tenant";
  private static final long LOCK_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final TenantRepository tenants;
  private final DeviceRepository devices;
  private final ApiKeyRepository keys;
  private final RegistryEvents events;
  private final Path keyFile;

  DemoTenant(Vertx vertx, TenantRepository tenants, DeviceRepository devices, ApiKeyRepository keys,
      RegistryEvents events, Path dataDir) {
    this.vertx = vertx;
    this.tenants = tenants;
    this.devices = devices;
    this.keys = keys;
    this.events = events;
    this.keyFile = dataDir.resolve(KEY_FILE);
  }

  Future<Void> ensure() {
    return vertx.sharedData().getLocalLockWithTimeout(LOCK, LOCK_TIMEOUT_MS)
        .compose(lock -> tenants.ensure(TENANT_ID, TENANT_NAME, MAX_DEVICES)
            .compose(v -> ensureDevices())
            .compose(v -> ensureKey())
            .eventually(() -> {
              lock.release();
              return Future.succeededFuture();
            }));
  }

  /** One after another, so a fresh demo registry numbers the devices in the simulators' order. */
  private Future<Void> ensureDevices() {
    Future<Void> chain = Future.succeededFuture();
    for (DeviceInput device : DEVICES) {
      chain = chain.compose(v -> devices.ensure(TENANT_ID, device)
          .map(created -> {
            created.ifPresent(d -> events.deviceChanged(d, Change.CREATED));
            return null;
          }));
    }
    return chain;
  }

  private Future<Void> ensureKey() {
    String token = Tokens.generate(Tokens.API_KEY_PREFIX);
    return keys.ensure(KEY_ID, TENANT_ID, "demo", Caller.Role.WRITE, Tokens.hash(token))
        .compose(created -> created ? save(token).onSuccess(v -> announceNew(token)) : announceExisting());
  }

  /** Written to a private temp file and moved into place, so the token is never readable by others, even briefly. */
  private Future<Void> save(String token) {
    return vertx.executeBlocking(() -> {
      Path dir = keyFile.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, KEY_FILE, ".tmp", ownerOnly());
      try {
        Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      return null;
    });
  }

  private void announceNew(String token) {
    // Printed, not logged: shown once to the developer at the console, never kept in log files.
    System.out.println("Demo tenant API key (write): " + token + "  (saved in " + keyFile + ")");
  }

  private Future<Void> announceExisting() {
    return vertx.fileSystem().exists(keyFile.toString()).map(exists -> {
      if (exists) {
        System.out.println("Demo tenant API key saved in " + keyFile);
      } else {
        log.warn("the demo tenant's API key was created by another node or an earlier start, and {} does not hold "
            + "it; if it is lost, issue a new one with POST /api/v1/tenants/{}/api-keys", keyFile, TENANT_ID);
      }
      return null;
    });
  }

  private static FileAttribute<?>[] ownerOnly() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }
}
