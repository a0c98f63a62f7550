package io.gridline.contracts.webhooks;

import java.util.Objects;

/**
 * The result of one delivery attempt.
 *
 * @param deliveryId the {@code webhook_deliveries} row
 * @param status     the row's status after the attempt: {@code pending}, {@code retrying}, {@code succeeded} or {@code dead}
 * @param attempts   attempts so far
 * @param statusCode the receiver's HTTP status, or -1 when there was no response (timeout, connection error, refused target)
 * @param error      why the attempt failed; empty on success
 */
public record DeliveryOutcome(long deliveryId, String status, int attempts, int statusCode, String error) {
  public DeliveryOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(error, "error");
  }
}
