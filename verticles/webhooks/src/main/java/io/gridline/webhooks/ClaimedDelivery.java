package io.gridline.webhooks;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A {@code webhook_deliveries} row this worker leased for one attempt, with what the attempt needs of its subscription.
 *
 * @param leasedUntil the row's {@code next_attempt_at} as this claim set it: the outcome is recorded only while it
 *                    still holds (another worker that took the row over after the lease ran out owns it then)
 */
record ClaimedDelivery(long id, UUID subscriptionId, UUID tenantId, UUID eventId, String eventType, Integer deviceId,
    String body, int attempts, OffsetDateTime occurredAt, OffsetDateTime leasedUntil, String url, JsonObject headers,
    byte[] secret, byte[] previousSecret, OffsetDateTime previousSecretUntil) {

  static final String COLUMNS = "d.id, d.subscription_id, d.tenant_id, d.event_id, d.event_type, d.device_id, d.body, "
      + "d.attempts, d.occurred_at, d.next_attempt_at, s.url, s.headers, s.secret, s.previous_secret, "
      + "s.previous_secret_until";

  static ClaimedDelivery of(Row r) {
    Object headers = r.getValue("headers");
    return new ClaimedDelivery(r.getLong("id"), r.getUUID("subscription_id"), r.getUUID("tenant_id"),
        r.getUUID("event_id"), r.getString("event_type"), r.getInteger("device_id"), r.getString("body"),
        r.getInteger("attempts"), r.getOffsetDateTime("occurred_at"), r.getOffsetDateTime("next_attempt_at"),
        r.getString("url"), headers instanceof JsonObject j ? j : new JsonObject(),
        r.getBuffer("secret").getBytes(), r.getBuffer("previous_secret") == null ? null
            : r.getBuffer("previous_secret").getBytes(), r.getOffsetDateTime("previous_secret_until"));
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
