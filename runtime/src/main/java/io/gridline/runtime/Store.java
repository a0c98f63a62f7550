package io.gridline.runtime;

/** A backing service a verticle needs, with the config key that holds its address. */
public enum Store {
  KAFKA("kafka", "kafka.bootstrap-servers"),
  POSTGRES("postgres", "pg.url"),
  REDIS("redis", "redis.url");

  private final String id;
  private final String urlKey;

  Store(String id, String urlKey) {
    this.id = id;
    this.urlKey = urlKey;
  }

  /** Short name used in logs, health checks and devservices ({@code kafka}, {@code postgres}, {@code redis}). */
  public String id() {
    return id;
  }

  /** The config key holding this store's URL. */
  public String urlKey() {
    return urlKey;
  }
}
