package io.gridline.contracts.webhooks;

import java.util.Objects;

/**
 * Ask the webhooks verticle to attempt one {@code webhook_deliveries} row now.
 *
 * @param deliveryId the row's id
 * @param tenantId   the tenant the caller acts for (the row must belong to it)
 */
public record DeliveryRequest(long deliveryId, String tenantId) {
  public DeliveryRequest {
    Objects.requireNonNull(tenantId, "tenantId");
  }
}
