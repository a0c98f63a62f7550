package io.gridline.api.webhooks;

import io.gridline.runtime.SecretBox;
import io.gridline.runtime.Tokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Webhook signing secrets: generated like API keys ({@code whsec_} + 256 random bits), shown once, and stored sealed
 * (AES-GCM, {@link SecretBox}) because the webhooks verticle must read them back to sign. The associated data is the
 * subscription id's string form in UTF-8, so a ciphertext copied onto another subscription's row does not open; the
 * webhooks verticle opens {@code secret} and {@code previous_secret} with the same associated data.
 *
 * <p>Custom headers are sealed the same way ({@code headers_sealed}: the headers' JSON object in UTF-8), since they
 * often carry the receiver's credentials; the webhooks verticle opens them for each delivery.
 */
public final class WebhookSecrets {
  static final String PREFIX = "whsec_";
  private final SecretBox box;

  public WebhookSecrets(SecretBox box) {
    this.box = box;
  }

  static String generate() {
    return Tokens.generate(PREFIX);
  }

  byte[] seal(UUID subscriptionId, String secret) {
    return box.seal(secret.getBytes(StandardCharsets.UTF_8), associatedData(subscriptionId));
  }

  byte[] sealHeaders(UUID subscriptionId, JsonObject headers) {
    return box.seal(headers.toBuffer().getBytes(), associatedData(subscriptionId));
  }

  /** Fails when the headers do not open (another key, or another subscription's ciphertext). */
  JsonObject openHeaders(UUID subscriptionId, byte[] sealed) {
    byte[] json;
    try {
      json = box.open(sealed, associatedData(subscriptionId));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the headers of webhook subscription " + subscriptionId + " cannot be opened "
          + "(is secrets.encryption-key the one they were sealed with?)", e);
    }
    return new JsonObject(Buffer.buffer(json));
  }

  static byte[] associatedData(UUID subscriptionId) {
    return subscriptionId.toString().getBytes(StandardCharsets.UTF_8);
  }
}
