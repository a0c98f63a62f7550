package io.gridline.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Gridline-Signature}: {@code sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>} per signing secret,
 * comma-separated, the current secret first (two only during a rotation overlap).
 */
final class WebhookSignature {
  private WebhookSignature() {}

  static String header(List<byte[]> secrets, long timestampSeconds, String body) {
    byte[] signed = (timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    for (byte[] secret : secrets) {
      out.append(out.length() == 0 ? "" : ",").append("sha256=").append(HexFormat.of().formatHex(hmac(secret, signed)));
    }
    return out.toString();
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
