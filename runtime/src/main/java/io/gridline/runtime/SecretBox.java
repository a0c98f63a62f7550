package io.gridline.runtime;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets Gridline must be able to read back (webhook secrets, LoRaWAN keys), under
 * {@code secrets.encryption-key} (32 bytes, base64). Output layout: {@code version 0x01 | nonce 12B | ciphertext+tag}.
 * The caller passes associated data (e.g. the row's id) so a ciphertext cannot be moved to another row.
 */
public final class SecretBox {
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** @param base64Key 32 bytes, standard or url-safe base64 */
  public static SecretBox fromBase64(String base64Key) {
    byte[] key;
    try {
      key = base64Key.contains("-") || base64Key.contains("_")
          ? Base64.getUrlDecoder().decode(base64Key.trim())
          : Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("secrets.encryption-key is not base64");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException("secrets.encryption-key must be 32 bytes (base64 of 256 random bits), got " + key.length);
    }
    return new SecretBox(key);
  }

  /** A fresh random key, base64. */
  public static String generateKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  public byte[] seal(byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      if (associatedData != null) {
        c.updateAAD(associatedData);
      }
      byte[] ct = c.doFinal(plaintext);
      return ByteBuffer.allocate(1 + NONCE_BYTES + ct.length).put(VERSION).put(nonce).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** @throws IllegalArgumentException when the box was not sealed under this key and associated data */
  public byte[] open(byte[] sealed, byte[] associatedData) {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new IllegalArgumentException("not a sealed secret");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      if (associatedData != null) {
        c.updateAAD(associatedData);
      }
      return c.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new IllegalArgumentException("secret does not open under this key (wrong secrets.encryption-key?)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }
}
