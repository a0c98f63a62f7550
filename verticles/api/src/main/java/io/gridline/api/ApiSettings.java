package io.gridline.api;

import io.gridline.runtime.GridlineConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The api verticle's config keys ({@code config/gridline.yaml}), read once at start.
 *
 * @param rateLimit          {@code api.rate-limit}: requests per second per API key and node; 0 = off
 * @param rateLimitBurst     {@code api.rate-limit-burst}: requests a key may send at once before the rate applies
 * @param telemetryTimeout   {@code api.telemetry.statement-timeout}: longest a telemetry query may run in the database
 * @param telemetryMaxRange  {@code api.telemetry.max-range}: widest {@code [from, to)} a telemetry query may cover
 */
public record ApiSettings(String host, int port, String adminKey, Optional<String> tlsCertPath,
    Optional<String> tlsKeyPath, long maxBodyBytes, boolean demoTenant, Path dataDir, int rateLimit, int rateLimitBurst,
    Duration telemetryTimeout, Duration telemetryMaxRange) {

  static ApiSettings from(GridlineConfig config) {
    Optional<String> cert = config.optString("api.tls.cert-path");
    Optional<String> key = config.optString("api.tls.key-path");
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalStateException("set both api.tls.cert-path and api.tls.key-path to serve HTTPS, or neither");
    }
    int rateLimit = config.has("api.rate-limit") ? config.integer("api.rate-limit") : 100;
    int burst = config.has("api.rate-limit-burst") ? config.integer("api.rate-limit-burst") : 200;
    if (rateLimit < 0 || (rateLimit > 0 && burst < 1)) {
      throw new IllegalStateException("api.rate-limit must be 0 (off) or more, and api.rate-limit-burst at least 1; got "
          + rateLimit + " and " + burst);
    }
    return new ApiSettings(
        config.string("api.host", "0.0.0.0"),
        config.has("api.port") ? config.integer("api.port") : 8080,
        config.string("api.admin-key"),
        cert, key,
        config.has("api.max-body-bytes") ? config.longValue("api.max-body-bytes") : 1_048_576,
        config.bool("api.demo-tenant"),
        Path.of(config.string("devservices.data-dir", "./data")),
        rateLimit, burst,
        positiveDuration(config, "api.telemetry.statement-timeout", "PT10S"),
        positiveDuration(config, "api.telemetry.max-range", "P31D"));
  }

  private static Duration positiveDuration(GridlineConfig config, String key, String fallback) {
    String raw = config.string(key, fallback);
    try {
      Duration d = Duration.parse(raw);
      if (d.toMillis() >= 1) {
        return d;
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      // falls through to the message
    }
    throw new IllegalStateException(key + " must be a positive ISO-8601 duration such as " + fallback + ", got " + raw);
  }

  HttpServerOptions serverOptions() {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port);
    if (tlsCertPath.isPresent()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsCertPath.get())
          .setKeyPath(tlsKeyPath.orElseThrow()));
    }
    return options;
  }
}
