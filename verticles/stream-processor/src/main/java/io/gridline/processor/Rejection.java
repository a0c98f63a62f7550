package io.gridline.processor;

/** Why a raw record cannot be decoded: one of {@code TelemetryRejected.Reasons} and a detail for the operator. */
final class Rejection extends RuntimeException {
  private final String reason;

  Rejection(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }

  String detail() {
    return getMessage();
  }
}
