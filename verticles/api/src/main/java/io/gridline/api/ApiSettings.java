package io.gridline.api;

import io.gridline.runtime.GridlineConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.util.Optional;

/** The api verticle's config keys ({@code config/gridline.yaml}), read once at start. */
record ApiSettings(String host, int port, String adminKey, Optional<String> tlsCertPath, Optional<String> tlsKeyPath,
    long maxBodyBytes, boolean demoTenant, Path dataDir) {

  static ApiSettings from(GridlineConfig config) {
    Optional<String> cert = config.optString("api.tls.cert-path");
    Optional<String> key = config.optString("api.tls.key-path");
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalStateException("set both api.tls.cert-path and api.tls.key-path to serve HTTPS, or neither");
    }
    return new ApiSettings(
        config.string("api.host", "0.0.0.0"),
        config.has("api.port") ? config.integer("api.port") : 8080,
        config.string("api.admin-key"),
        cert, key,
        config.has("api.max-body-bytes") ? config.longValue("api.max-body-bytes") : 1_048_576,
        config.bool("api.demo-tenant"),
        Path.of(config.string("devservices.data-dir", "./data")));
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
