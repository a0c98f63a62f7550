package io.gridline.contracts.commands;

import java.util.Locale;

/**
 * Where a command stands, for every device kind: {@code queued → sent → acked | completed}, or {@code failed},
 * {@code timed_out}, {@code dead}. The wire form (column {@code commands.status}, API, events) is the lower-case name.
 */
public enum CommandStatus {
  /** Waiting for its owner to send it (a LoRaWAN downlink waits for the device's next uplink). */
  QUEUED,
  /** Written to the device (or its gateway); an acknowledgement may follow. */
  SENT,
  /** The device acknowledged it (a confirmed LoRaWAN downlink's ACK). */
  ACKED,
  /** The device reported a result. */
  COMPLETED,
  /** Could not be sent, or the device answered with an error. */
  FAILED,
  /** No answer within the time the protocol allows. */
  TIMED_OUT,
  /** Given up on after its retries. */
  DEAD;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommandStatus ofWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  /** Whether nothing happens to the command any more. */
  public boolean isFinal() {
    return this != QUEUED && this != SENT;
  }
}
