package io.gridline.runtime.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Event ids derived from their cause (DESIGN §4): a UUIDv5 over the source record's topic, partition, offset and the
 * event type, so reprocessing the same record after a crash yields the same id and consumers can deduplicate.
 */
public final class EventIds {
  /** Gridline's namespace for ids derived from Kafka records (a fixed random UUID). */
  public static final UUID KAFKA_RECORD_NAMESPACE = UUID.fromString("5b0f4c1e-8d0a-4a55-9a57-3f1f6e0b2c71");

  private EventIds() {}

  public static UUID fromRecord(String topic, int partition, long offset, String type) {
    return v5(KAFKA_RECORD_NAMESPACE, topic + "/" + partition + "/" + offset + "/" + type);
  }

  public static UUID v5(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha1.update(toBytes(namespace));
    byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    h[6] = (byte) ((h[6] & 0x0f) | 0x50);
    h[8] = (byte) ((h[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (h[i] & 0xff);
      lsb = (lsb << 8) | (h[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  private static byte[] toBytes(UUID u) {
    byte[] b = new byte[16];
    long msb = u.getMostSignificantBits();
    long lsb = u.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (msb >>> (56 - 8 * i));
      b[i + 8] = (byte) (lsb >>> (56 - 8 * i));
    }
    return b;
  }
}
