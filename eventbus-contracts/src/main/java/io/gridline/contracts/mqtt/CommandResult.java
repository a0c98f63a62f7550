package io.gridline.contracts.mqtt;

import java.util.Objects;

/**
 * The owning bridge's answer to a {@link DeviceCommand}.
 *
 * @param commandId the command's id
 * @param outcome   what happened
 * @param detail    a reason a caller may read (never secrets); empty when delivered
 */
public record CommandResult(String commandId, Outcome outcome, String detail) {
  public enum Outcome {
    /** Written to the device's connection (QoS 1/2: the bridge's session retransmits until acknowledged). */
    DELIVERED,
    /** This node no longer holds the device's connection. */
    OFFLINE,
    /** The device has no subscription matching the topic: nothing was sent. */
    NOT_SUBSCRIBED,
    /** The write failed. */
    FAILED,
    /**
     * The receiving node's registry does not confirm the command (no such device, another tenant's, a topic outside the
     * device's command tree, or not held here): nothing was sent. The clustered bus is authenticated, but a receiver
     * still checks what it is asked to do.
     */
    REFUSED
  }

  public CommandResult {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }
}
