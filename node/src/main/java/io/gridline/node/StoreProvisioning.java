package io.gridline.node;

import io.gridline.devservices.DevServices;
import io.gridline.devservices.FreePorts;
import io.gridline.runtime.EnvNames;
import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.InvalidSetting;
import io.gridline.runtime.KafkaClients;
import io.gridline.runtime.PgUrl;
import io.gridline.runtime.PortInUseException;
import io.gridline.runtime.Store;
import io.gridline.runtime.StoreClients;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every store the deployed verticles need a URL. A URL that is set is checked and used; an unset one on a single
 * node is started embedded from devservices (data under {@code devservices.data-dir}) and its URL put into the config.
 * A clustered node starts none unless {@code devservices.enabled}, which uses the fixed {@code devservices.*-port}s so
 * the other members can be pointed at them. Blocking: runs before Vert.x exists.
 */
final class StoreProvisioning implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreProvisioning.class);
  private static final Map<Store, String> FIXED_PORT_KEYS = Map.of(
      Store.KAFKA, "devservices.kafka-port",
      Store.POSTGRES, "devservices.pg-port",
      Store.REDIS, "devservices.redis-port");

  private final DevServices devServices;

  private StoreProvisioning(DevServices devServices) {
    this.devServices = devServices;
  }

  static StoreProvisioning provision(JsonObject config, Set<Store> needed, Path dataDir) {
    Set<Store> unset = EnumSet.noneOf(Store.class);
    for (Store store : needed) {
      String url = config.getString(store.urlKey(), "").trim();
      if (url.isEmpty()) {
        unset.add(store);
      } else {
        requireWellFormed(store, url);
      }
      requireWorkableSecurity(store, config, url.isEmpty());
    }
    if (unset.isEmpty()) {
      return new StoreProvisioning(null);
    }
    boolean clustered = GridlineConfig.of(config).bool("cluster.enabled");
    boolean fixedPorts = GridlineConfig.of(config).bool("devservices.enabled");
    if (clustered && !fixedPorts) {
      Store first = unset.iterator().next();
      throw new InvalidConfigException(first.urlKey() + " (env " + EnvNames.forKey(first.urlKey()) + ") is not set"
          + (unset.size() > 1 ? " (nor " + unset.stream().skip(1).map(Store::urlKey).collect(Collectors.joining(", "))
          + ")" : "") + ": a clustered node starts no embedded stores unless devservices.enabled=true");
    }
    if (fixedPorts) {
      unset.forEach(store -> requireFreePort(config, FIXED_PORT_KEYS.get(store)));
    }
    Set<String> ids = new LinkedHashSet<>();
    unset.forEach(s -> ids.add(s.id()));
    log.info("devservices: starting embedded {} (unset: {}; data in {})", String.join(", ", ids),
        unset.stream().map(Store::urlKey).collect(Collectors.joining(", ")), dataDir);
    DevServices started = DevServices.start(ids, dataDir, fixedPorts,
        config.getInteger("devservices.kafka-port"), config.getInteger("devservices.pg-port"),
        config.getInteger("devservices.redis-port"));
    for (Store store : unset) {
      config.put(store.urlKey(), started.urls().get(store.id()));
    }
    return new StoreProvisioning(started);
  }

  boolean startedAny() {
    return devServices != null;
  }

  /** Stops the embedded stores this node started, if any. Idempotent. */
  @Override
  public void close() {
    if (devServices != null) {
      devServices.close();
    }
  }

  private static void requireWellFormed(Store store, String url) {
    String problem = switch (store) {
      case POSTGRES -> {
        try {
          PgUrl.parse(url);
          yield null;
        } catch (IllegalArgumentException e) {
          yield e.getMessage();
        }
      }
      case REDIS -> url.startsWith("redis://") || url.startsWith("rediss://") || url.startsWith("unix://")
          ? null : "expected redis://host:port[/db]";
      case KAFKA -> url.matches("[^,\\s]+:\\d+(\\s*,\\s*[^,\\s]+:\\d+)*") ? null : "expected host:port[,host:port]";
    };
    if (problem != null) {
      throw new InvalidConfigException("invalid value for " + store.urlKey() + " (env " + EnvNames.forKey(store.urlKey())
          + "): " + problem);
    }
  }

  /**
   * TLS and SASL settings that cannot work stop the node here, naming the key, before any client tries. An embedded
   * store speaks plain text on 127.0.0.1: security settings for it are a mistake (a forgotten URL), not a wish.
   * PostgreSQL's TLS files are part of pg.url and sink.pg-url, checked when the migrations parse them.
   */
  private static void requireWorkableSecurity(Store store, JsonObject config, boolean embedded) {
    GridlineConfig settings = GridlineConfig.of(config);
    try {
      switch (store) {
        case KAFKA -> {
          KafkaClients.requireValidSecurity(settings);
          String protocol = KafkaClients.protocol(settings);
          if (embedded && !protocol.equalsIgnoreCase("PLAINTEXT")) {
            throw new InvalidSetting(KafkaClients.SECURITY_PROTOCOL, protocol + " needs " + store.urlKey()
                + ": the embedded broker speaks PLAINTEXT only");
          }
        }
        case REDIS -> StoreClients.requireValidRedisTls(settings);
        case POSTGRES -> { }
      }
    } catch (InvalidSetting e) {
      throw new InvalidConfigException(e.getMessage());
    }
  }

  private static void requireFreePort(JsonObject config, String key) {
    int port = config.getInteger(key);
    if (port != 0 && !FreePorts.isFree(port)) {
      throw new PortInUseException(key, "127.0.0.1", port, null);
    }
  }
}
