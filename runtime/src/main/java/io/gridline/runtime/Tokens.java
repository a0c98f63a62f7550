package io.gridline.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API keys ({@code glk_…}) and device secrets ({@code gld_…}): 256 random bits with a readable prefix, shown once and
 * stored only as SHA-256. A fast hash is right for high-entropy tokens (nothing to brute-force) and keeps a CONNECT
 * storm cheap.
 */
public final class Tokens {
  public static final String API_KEY_PREFIX = "glk_";
  public static final String DEVICE_SECRET_PREFIX = "gld_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** A new token: the prefix and 32 random bytes in unpadded base64url (43 characters). */
  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** SHA-256 of the token's UTF-8 bytes: what is stored and looked up. */
  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
