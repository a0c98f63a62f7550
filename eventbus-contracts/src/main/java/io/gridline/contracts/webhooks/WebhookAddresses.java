package io.gridline.contracts.webhooks;

/** Event-bus addresses of the webhooks verticle. */
public final class WebhookAddresses {
  private WebhookAddresses() {}

  /**
   * Request/reply: "attempt this delivery now" ({@link DeliveryRequest} → {@link DeliveryOutcome}). Used by
   * {@code POST /api/v1/webhooks/{id}/test}; any node running the webhooks verticle answers.
   */
  public static final String DELIVER_NOW = "gridline.webhooks.deliver-now";
}
