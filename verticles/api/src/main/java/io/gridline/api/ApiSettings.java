package io.gridline.api;

import io.gridline.runtime.GridlineConfig;
import io.gridline.runtime.InvalidSetting;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
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

  /** @throws InvalidSetting naming the key of a value that cannot work */
  static ApiSettings from(GridlineConfig config) {
    Optional<String> cert = config.optString("api.tls.cert-path");
    Optional<String> key = config.optString("api.tls.key-path");
    if (cert.isPresent() != key.isPresent()) {
      throw new InvalidSetting(cert.isPresent() ? "api.tls.key-path" : "api.tls.cert-path",
          "set both api.tls.cert-path and api.tls.key-path to serve HTTPS, or neither");
    }
    int rateLimit = config.nonNegativeInt("api.rate-limit");
    int burst = config.nonNegativeInt("api.rate-limit-burst");
    if (rateLimit > 0 && burst < 1) {
      throw new InvalidSetting("api.rate-limit-burst", "must be at least 1 while api.rate-limit is on, got " + burst);
    }
    return new ApiSettings(
        config.string("api.host"),
        config.port("api.port"),
        config.string("api.admin-key"),
        cert, key,
        config.positiveLong("api.max-body-bytes"),
        config.bool("api.demo-tenant"),
        Path.of(config.string("devservices.data-dir")),
        rateLimit, burst,
        config.duration("api.telemetry.statement-timeout"),
        config.duration("api.telemetry.max-range"));
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
