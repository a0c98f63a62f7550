package io.gridline.mqtt;

import io.gridline.runtime.DeviceCertificateAuthority;
import io.gridline.runtime.Tokens;
import io.gridline.runtime.device.DeviceDirectory;
import io.gridline.runtime.device.ExternalIds;
import io.vertx.core.Future;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Decides a CONNECT: {@link #authenticate} lists the steps. A device is accepted when its client id names a registered
 * {@code mqtt} device and it proves it is that device — the password is its current secret, or its verified client
 * certificate's CN is the client id and the certificate is one Gridline issued for this very device row and has not
 * revoked (mTLS) — or when {@code mqtt.require-auth=false}. The device comes from the shared (cached) registry
 * directory, its credentials from their own lookup at every CONNECT, never cached.
 */
final class DeviceAuthenticator {
  private final DeviceDirectory directory;
  private final CredentialLookup credentials;
  private final ConnectionQuota quota;
  private final ConnectRate connectRate;
  private final MqttSettings settings;

  DeviceAuthenticator(DeviceDirectory directory, CredentialLookup credentials, ConnectionQuota quota,
      ConnectRate connectRate, MqttSettings settings) {
    this.directory = directory;
    this.credentials = credentials;
    this.quota = quota;
    this.connectRate = connectRate;
    this.settings = settings;
  }

  Future<ConnectContext> authenticate(ConnectContext ctx) {
    return checkConnectRate(ctx)
        .compose(this::reserveSlot)
        .compose(this::readClientId)
        .compose(this::findDevice)
        .compose(this::readCredentials)
        .compose(this::checkCredentials);
  }

  /** First, before anything costs a slot or a lookup: one source address gets mqtt.connect-rate-per-address. */
  private Future<ConnectContext> checkConnectRate(ConnectContext ctx) {
    var remote = ctx.endpoint.remoteAddress();
    String address = remote == null ? "" : remote.hostAddress() != null ? remote.hostAddress() : remote.host();
    return connectRate.tryConnect(address, settings.connectRatePerAddress())
        ? Future.succeededFuture(ctx)
        : Future.failedFuture(new Refusal(Refusal.CONNECT_RATE, "over mqtt.connect-rate-per-address"));
  }

  private Future<ConnectContext> reserveSlot(ConnectContext ctx) {
    if (!quota.tryReserve(settings.maxConnections())) {
      return Future.failedFuture(new Refusal(Refusal.CAPACITY, "mqtt.max-connections reached"));
    }
    ctx.slotReserved = true;
    return Future.succeededFuture(ctx);
  }

  private Future<ConnectContext> readClientId(ConnectContext ctx) {
    return ClientIds.mac(ctx.endpoint.clientIdentifier())
        .map(mac -> {
          ctx.mac = mac;
          return Future.succeededFuture(ctx);
        })
        .orElseGet(() -> Future.failedFuture(new Refusal(Refusal.UNKNOWN_CLIENT_ID,
            "client id is not f2-<12 lower-case hex digits>")));
  }

  private Future<ConnectContext> findDevice(ConnectContext ctx) {
    return directory.lookup(ExternalIds.MQTT, ctx.mac).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new Refusal(Refusal.UNREGISTERED, "no mqtt device " + ctx.mac + " is registered"));
      }
      ctx.device = MqttDevice.of(found.get());
      return Future.succeededFuture(ctx);
    });
  }

  /** Read at every CONNECT, from PostgreSQL: no cache can keep an old secret or a revoked certificate usable. */
  private Future<ConnectContext> readCredentials(ConnectContext ctx) {
    if (!settings.requireAuth()) {
      ctx.credentials = DeviceCredentials.NONE;
      return Future.succeededFuture(ctx);
    }
    return credentials.of(ctx.device.id()).map(read -> {
      ctx.credentials = read;
      return ctx;
    });
  }

  private Future<ConnectContext> checkCredentials(ConnectContext ctx) {
    if (!settings.requireAuth() || certificateNames(ctx) || passwordMatches(ctx)) {
      return Future.succeededFuture(ctx);
    }
    return Future.failedFuture(new Refusal(Refusal.NOT_AUTHORIZED, "wrong or missing credentials"));
  }

  private boolean passwordMatches(ConnectContext ctx) {
    var auth = ctx.endpoint.auth();
    if (auth == null || auth.getPassword() == null || ctx.credentials.secretHash() == null) {
      return false;
    }
    if (auth.getUsername() != null && !auth.getUsername().equals(ctx.endpoint.clientIdentifier())) {
      return false;
    }
    return MessageDigest.isEqual(Tokens.hash(auth.getPassword()), ctx.credentials.secretHash());
  }

  /**
   * mTLS: the TLS layer verified the chain against the client CA; the CN must be the client id, and the serial one of
   * the device row's active certificates ({@code device_certificates}): a certificate whose device was deleted (and the
   * MAC registered again, perhaps by another tenant), reissued or revoked names no active record and is refused. With
   * {@code mqtt.tls.require-registered-certificate=false} (an operator's own PKI) the CN alone decides.
   */
  private boolean certificateNames(ConnectContext ctx) {
    if (!ctx.endpoint.isSsl()) {
      return false;
    }
    SSLSession session = ctx.endpoint.sslSession();
    try {
      Certificate[] chain = session == null ? null : session.getPeerCertificates();
      if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
        return false;
      }
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return ctx.endpoint.clientIdentifier().equals(String.valueOf(rdn.getValue()))
              && (!settings.requireRegisteredCertificate()
                  || ctx.credentials.certificateSerials().contains(DeviceCertificateAuthority.serialOf(cert)));
        }
      }
      return false;
    } catch (SSLPeerUnverifiedException | javax.naming.InvalidNameException e) {
      return false;
    }
  }
}
