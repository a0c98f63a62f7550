package io.gridline.webhooks;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A {@code webhook_deliveries} row this worker leased for one attempt, with what the attempt needs of its subscription.
 *
 * @param leaseToken       the claim's token in the row's {@code lease_token}: renewals and the outcome are written only
 *                         while it is still there (another worker that took the row over after the lease ran out owns
 *                         it then)
 * @param leaseEndsAtNanos the lease's end by this JVM's {@link System#nanoTime()}, counted from when the claim was
 *                         sent, so it is never later than the end the database set (no clock comparison with it)
 * @param headers          the custom headers of a subscription written before they were sealed (plaintext)
 * @param sealedHeaders    the custom headers' JSON, sealed like the secrets; null for such a legacy subscription
 */
record ClaimedDelivery(long id, UUID subscriptionId, UUID tenantId, UUID eventId, String eventType, Integer deviceId,
    String body, int attempts, OffsetDateTime occurredAt, UUID leaseToken, long leaseEndsAtNanos, String url,
    JsonObject headers, byte[] sealedHeaders, byte[] secret, byte[] previousSecret,
    OffsetDateTime previousSecretUntil) {

  static final String COLUMNS = "d.id, d.subscription_id, d.tenant_id, d.event_id, d.event_type, d.device_id, d.body, "
      + "d.attempts, d.occurred_at, d.lease_token, s.url, s.headers, s.headers_sealed, s.secret, s.previous_secret, "
      + "s.previous_secret_until";

  static ClaimedDelivery of(Row r, long leaseEndsAtNanos) {
    Object headers = r.getValue("headers");
    return new ClaimedDelivery(r.getLong("id"), r.getUUID("subscription_id"), r.getUUID("tenant_id"),
        r.getUUID("event_id"), r.getString("event_type"), r.getInteger("device_id"), r.getString("body"),
        r.getInteger("attempts"), r.getOffsetDateTime("occurred_at"), r.getUUID("lease_token"), leaseEndsAtNanos,
        r.getString("url"), headers instanceof JsonObject j ? j : new JsonObject(),
        r.getBuffer("headers_sealed") == null ? null : r.getBuffer("headers_sealed").getBytes(),
        r.getBuffer("secret").getBytes(), r.getBuffer("previous_secret") == null ? null
            : r.getBuffer("previous_secret").getBytes(), r.getOffsetDateTime("previous_secret_until"));
  }

  /** How much of the claim's lease is left now (negative once it ended). */
  long leaseLeftMs() {
    return (leaseEndsAtNanos - System.nanoTime()) / 1_000_000;
  }

  /** The row's status as claimed: {@code pending} before its first attempt, {@code retrying} after. */
  String claimedStatus() {
    return attempts == 0 ? "pending" : "retrying";
  }

  /**
   * Deliveries of one subscription for one device go out one at a time, in outbox order (events without a device are
   * independent).
   */
  String lane() {
    return deviceId == null ? "d" + id : subscriptionId + ":" + deviceId;
  }

  @Override
  public String toString() {
    return "delivery " + id + " (event " + eventId + " " + eventType + ", subscription " + subscriptionId + ")";
  }
}
