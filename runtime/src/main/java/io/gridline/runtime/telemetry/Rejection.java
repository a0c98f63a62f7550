package io.gridline.runtime.telemetry;

/** Why a raw record cannot be decoded: one of {@code TelemetryRejected.Reasons} and a detail for the operator. */
public final class Rejection extends RuntimeException {
  private final String reason;

  public Rejection(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  public String detail() {
    return getMessage();
  }
}
