package io.gridline.api;

import io.gridline.runtime.SecretBox;
import io.gridline.runtime.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Webhook signing secrets: generated like API keys ({@code whsec_} + 256 random bits), shown once, and stored sealed
 * (AES-GCM, {@link SecretBox}) because the webhooks verticle must read them back to sign. The associated data is the
 * subscription id's string form in UTF-8, so a ciphertext copied onto another subscription's row does not open; the
 * webhooks verticle opens {@code secret} and {@code previous_secret} with the same associated data.
 */
final class WebhookSecrets {
  static final String PREFIX = "whsec_";
  private final SecretBox box;

  WebhookSecrets(SecretBox box) {
    this.box = box;
  }

  static String generate() {
    return Tokens.generate(PREFIX);
  }

  byte[] seal(UUID subscriptionId, String secret) {
    return box.seal(secret.getBytes(StandardCharsets.UTF_8), associatedData(subscriptionId));
  }

  static byte[] associatedData(UUID subscriptionId) {
    return subscriptionId.toString().getBytes(StandardCharsets.UTF_8);
  }
}
