package io.gridline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetsTest {
  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A resolver over a fixed table, so no test depends on real DNS. */
  private static WebhookTargets guard(boolean allowHttp, boolean allowPrivate, Map<String, String> dns) {
    return new WebhookTargets(allowHttp, allowPrivate, host -> {
      String v = dns.get(host);
      if (v == null) {
        throw new UnknownHostException(host);
      }
      String[] parts = v.split(",");
      InetAddress[] out = new InetAddress[parts.length];
      for (int i = 0; i < parts.length; i++) {
        out[i] = ip(parts[i]);
      }
      return out;
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.8.9.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "169.254.169.254", "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1",
      "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
      "64:ff9b::a00:1", "::7f00:1"})
  void nonPublicAddressesAreNamed(String literal) {
    assertTrue(WebhookTargets.nonPublicReason(ip(literal)) != null, literal);
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "100.128.0.1", "172.32.0.1", "192.169.0.1",
      "2606:2800:220:1:248:1893:25c8:1946", "::ffff:8.8.8.8"})
  void publicAddressesPass(String literal) {
    assertNull(WebhookTargets.nonPublicReason(ip(literal)), literal);
  }

  @Test
  void httpsToAPublicHostIsAccepted() throws Exception {
    WebhookTargets.Target t = guard(false, false, Map.of("hooks.example.com", "93.184.216.34"))
        .check("https://hooks.example.com/in?x=1");
    assertEquals("hooks.example.com", t.host());
    assertEquals(443, t.port());
    assertEquals(ip("93.184.216.34"), t.address());
    assertEquals("https://hooks.example.com:443", t.endpoint());
  }

  @Test
  void plainHttpNeedsTheFlag() throws Exception {
    Map<String, String> dns = Map.of("hooks.example.com", "93.184.216.34");
    WebhookTargets.Refused r = assertThrows(WebhookTargets.Refused.class,
        () -> guard(false, false, dns).check("http://hooks.example.com/in"));
    assertTrue(r.getMessage().contains("webhooks.allow-http"), r.getMessage());
    assertEquals(80, guard(true, false, dns).check("http://hooks.example.com/in").port());
  }

  @Test
  void aHostWithAnyPrivateAddressIsRefusedUnlessAllowed() throws Exception {
    // one public and one private answer: the private one could be the one connected to, so the URL is refused
    Map<String, String> dns = Map.of("mixed.example.com", "93.184.216.34,10.0.0.5", "local.example.com", "127.0.0.1");
    WebhookTargets.Refused r = assertThrows(WebhookTargets.Refused.class,
        () -> guard(false, false, dns).check("https://mixed.example.com/"));
    assertEquals("host mixed.example.com resolves to a private address (allowed only with "
        + "webhooks.allow-private-targets=true)", r.getMessage());
    assertThrows(WebhookTargets.Refused.class, () -> guard(false, false, dns).check("https://local.example.com/"));
    assertThrows(WebhookTargets.Refused.class, () -> guard(false, false, dns).check("https://[::1]:8443/"));
    assertThrows(WebhookTargets.Refused.class, () -> guard(false, false, dns).check("https://169.254.169.254/latest"));
    assertEquals(ip("127.0.0.1"), guard(false, true, dns).check("https://local.example.com/").address());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not a url", "ftp://example.com/", "https:///nohost", "https://user:pw@example.com/",
      "https://example.com/#frag", "//example.com/x", "https://example.com:0/"})
  void malformedUrlsAreRefusedWithAReason(String url) {
    WebhookTargets.Refused r = assertThrows(WebhookTargets.Refused.class,
        () -> guard(true, true, Map.of("example.com", "93.184.216.34")).check(url));
    assertTrue(!r.getMessage().isBlank());
  }

  @Test
  void unresolvableHostIsRefused() {
    assertThrows(WebhookTargets.Refused.class, () -> guard(false, false, Map.of()).check("https://nowhere.invalid/"));
  }

  @Test
  void aRefusalNamesTheKindOfAddressButNeverTheResolvedAddress() {
    Map<String, String> dns = Map.of("intranet.example.com", "10.20.30.40", "meta.example.com", "169.254.169.254",
        "v6.example.com", "fd12:3456::7", "mapped.example.com", "::ffff:192.168.7.9");
    for (Map.Entry<String, String> e : dns.entrySet()) {
      WebhookTargets.Refused r = assertThrows(WebhookTargets.Refused.class,
          () -> guard(false, false, dns).check("https://" + e.getKey() + "/hook"));
      String message = r.getMessage();
      assertTrue(message.startsWith("host " + e.getKey() + " resolves to a"), message);
      assertTrue(message.contains("address (allowed only with webhooks.allow-private-targets=true)"), message);
      String address = ip(e.getValue()).getHostAddress();
      assertTrue(!message.contains(address) && !message.contains(e.getValue()), "reveals the address: " + message);
    }
  }
}
