package io.gridline.runtime;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The SSRF guard of outbound webhook URLs: the scheme must be {@code https} ({@code http} only with
 * {@code webhooks.allow-http}), and every address the host resolves to must be public — not loopback, link-local,
 * private, CGNAT (100.64/10), unique-local (fc00::/7), unspecified, multicast, reserved, nor an IPv4-mapped or NAT64
 * IPv6 form of those — unless {@code webhooks.allow-private-targets}. Checked when a subscription is saved and again
 * before every delivery; the delivery then connects to the {@link Target#address()} that was checked (not to the name
 * again), so a DNS answer that changes in between (rebinding) cannot slip a private address through.
 */
public final class WebhookTargets {
  public static final String ALLOW_HTTP = "webhooks.allow-http";
  public static final String ALLOW_PRIVATE = "webhooks.allow-private-targets";

  /**
   * The URL is not an acceptable target; {@link #getMessage()} says why, safe to show to the tenant: it names the URL's
   * own host and the kind of address it resolves to, never the resolved address (that would map the operator's
   * private network for whoever can create a subscription).
   */
  public static final class Refused extends Exception {
    public Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Host name → addresses; {@link InetAddress#getAllByName} outside tests. Blocking. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /**
   * A checked target.
   *
   * @param uri     the URL as given
   * @param host    the host name (brackets stripped from IPv6 literals), for the Host header and TLS SNI
   * @param port    the port, defaulted from the scheme
   * @param address the checked address to connect to
   */
  public record Target(URI uri, boolean tls, String host, int port, InetAddress address) {
    /** {@code scheme://host:port}: what per-endpoint limits and circuit breakers key on. */
    public String endpoint() {
      return (tls ? "https" : "http") + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
    }
  }

  private final boolean allowHttp;
  private final boolean allowPrivate;
  private final Resolver resolver;

  public WebhookTargets(boolean allowHttp, boolean allowPrivate, Resolver resolver) {
    this.allowHttp = allowHttp;
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  public static WebhookTargets fromConfig(GridlineConfig config) {
    return fromConfig(config, InetAddress::getAllByName);
  }

  /** With another resolver: tests (a slow or fixed DNS); production uses {@link #fromConfig(GridlineConfig)}. */
  public static WebhookTargets fromConfig(GridlineConfig config, Resolver resolver) {
    return new WebhookTargets(config.bool(ALLOW_HTTP), config.bool(ALLOW_PRIVATE), resolver);
  }

  /** Syntax and scheme only, no DNS: what can be said about a URL without resolving it. */
  public URI parse(String url) throws Refused {
    if (url == null || url.isBlank()) {
      throw new Refused("url is required");
    }
    if (url.length() > 2000) {
      throw new Refused("url is longer than 2000 characters");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new Refused("url is not a valid URI: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(scheme.equals("http") && allowHttp)) {
      throw new Refused(scheme.equals("http")
          ? "url must be https (http is allowed only with webhooks.allow-http=true)"
          : "url must be an https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Refused("url has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new Refused("url must not carry credentials (user info); use the subscription's headers");
    }
    if (uri.getRawFragment() != null) {
      throw new Refused("url must not have a fragment");
    }
    int port = uri.getPort();
    if (port == 0 || port > 65535) {
      throw new Refused("url port " + port + " is out of range");
    }
    return uri;
  }

  /** {@link #parse} plus DNS: blocking, call it off the event loop. */
  public Target check(String url) throws Refused {
    URI uri = parse(url);
    boolean tls = uri.getScheme().equalsIgnoreCase("https");
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new Refused("host " + host + " does not resolve");
    }
    if (addresses == null || addresses.length == 0) {
      throw new Refused("host " + host + " does not resolve");
    }
    if (!allowPrivate) {
      for (InetAddress a : addresses) {
        String why = nonPublicReason(a);
        if (why != null) {
          throw new Refused("host " + host + " resolves to " + why + " address"
              + " (allowed only with webhooks.allow-private-targets=true)");
        }
      }
    }
    return new Target(uri, tls, host, port, addresses[0]);
  }

  /** Why {@code a} is not a public unicast address (e.g. {@code "a loopback"}), or null when it is one. */
  public static String nonPublicReason(InetAddress a) {
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      byte[] embedded = embeddedIpv4(b);
      if (embedded != null) {
        try {
          String inner = nonPublicReason(InetAddress.getByAddress(embedded));
          return inner == null ? null : inner.replaceFirst("^an? ", "an IPv4-mapped ");
        } catch (UnknownHostException impossible) {
          return "an unparsable";
        }
      }
      if (v6.isLoopbackAddress()) {
        return "a loopback";
      }
      if (v6.isAnyLocalAddress()) {
        return "an unspecified";
      }
      if (v6.isLinkLocalAddress() || (b[0] == (byte) 0xfe && (b[1] & 0xc0) == 0xc0)) {
        return "a link-local";
      }
      if ((b[0] & 0xfe) == 0xfc) {
        return "a unique-local";
      }
      if (v6.isMulticastAddress()) {
        return "a multicast";
      }
      if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == (byte) 0xb8) {
        return "a documentation";
      }
      return null;
    }
    byte[] b = a.getAddress();
    int o0 = b[0] & 0xff;
    int o1 = b[1] & 0xff;
    if (a.isLoopbackAddress() || o0 == 127) {
      return "a loopback";
    }
    if (o0 == 0) {
      return "an unspecified";
    }
    if (o0 == 10 || (o0 == 172 && (o1 & 0xf0) == 16) || (o0 == 192 && o1 == 168)) {
      return "a private";
    }
    if (o0 == 169 && o1 == 254) {
      return "a link-local";
    }
    if (o0 == 100 && (o1 & 0xc0) == 64) {
      return "a CGNAT";
    }
    if (o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0) {
      return "a reserved";
    }
    if (o0 == 198 && (o1 & 0xfe) == 18) {
      return "a reserved";
    }
    if (o0 >= 224) {
      return o0 < 240 ? "a multicast" : "a reserved";
    }
    return null;
  }

  /** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96) or NAT64 (64:ff9b::/96) one. */
  private static byte[] embeddedIpv4(byte[] b) {
    boolean firstTenZero = true;
    for (int i = 0; i < 10; i++) {
      firstTenZero &= b[i] == 0;
    }
    boolean mapped = firstTenZero && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0);
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
        && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0 && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0;
    if (!mapped && !compatible && !nat64) {
      return null;
    }
    return new byte[] {b[12], b[13], b[14], b[15]};
  }
}
