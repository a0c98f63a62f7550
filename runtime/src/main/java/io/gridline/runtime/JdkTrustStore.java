package io.gridline.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.security.KeyStore;
import java.util.function.Function;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK's default trust store as Vert.x trust options, for a verifying TLS link given no CA file. Some clients
 * (vertx-pg-client under verify-ca/verify-full) insist on explicit trust options; {@code TrustOptions.wrap} would load
 * the store at once, on the caller's thread (often an event loop), while Vert.x asks for the factory off the loop.
 */
final class JdkTrustStore implements TrustOptions {

  @Override
  public TrustOptions copy() {
    return this; // stateless
  }

  @Override
  public TrustManagerFactory getTrustManagerFactory(Vertx vertx) throws Exception {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return factory;
  }

  @Override
  public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) {
    return null;
  }
}
