package io.gridline.runtime.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Device event ids derived from their cause (docs/architecture.md §4): a UUIDv5 (RFC 9562, SHA-1), so the same cause
 * processed
 * twice — a record consumed again after a crash, a connection announced again — names the same event and consumers
 * can deduplicate on it. The ids are contracts: the namespaces and the way each name is spelled never change.
 *
 * <ul>
 *   <li>{@link #fromRecord}: the event comes from a Kafka record (its topic, partition, offset) and its type.
 *   <li>{@link #fromDevice}: the event comes from what a device did (a connection, a frame), named by the device id,
 *       the cause's identity and the type.
 * </ul>
 */
public final class EventIds {
  /** Namespace of the ids derived from Kafka records (a fixed random UUID). */
  public static final UUID KAFKA_RECORD_NAMESPACE = UUID.fromString("5b0f4c1e-8d0a-4a55-9a57-3f1f6e0b2c71");
  /** Namespace of the ids derived from a device's own causes (first used by mqtt-bridge's online/offline events). */
  public static final UUID DEVICE_NAMESPACE = UUID.fromString("5b0e8a51-3c53-4f0b-9e57-6a1c0d1f2b01");

  private EventIds() {}

  /** The id of the event of {@code type} caused by the record at {@code topic}/{@code partition}/{@code offset}. */
  public static UUID fromRecord(String topic, int partition, long offset, String type) {
    return v5(KAFKA_RECORD_NAMESPACE, topic + "/" + partition + "/" + offset + "/" + type);
  }

  /**
   * The id of the event of {@code type} that device {@code deviceId} caused by {@code cause}: something that names the
   * cause once and for all (mqtt-bridge: {@code <node>/<clientId>/<connect ms>}, the connection).
   */
  public static UUID fromDevice(long deviceId, String cause, String type) {
    return v5(DEVICE_NAMESPACE, deviceId + "|" + cause + "|" + type);
  }

  /** UUIDv5 of {@code name} in {@code namespace}. */
  public static UUID v5(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
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
