package io.gridline.mqtt;

/** Why the bridge turned down a CONNECT or a PUBLISH; {@link #reason} is the metrics label. */
final class Refusal extends RuntimeException {
  static final String ACL = "acl";
  static final String PAYLOAD_TOO_LARGE = "payload-too-large";
  static final String RATE = "rate";
  static final String NOT_AUTHORIZED = "not-authorized";
  static final String UNKNOWN_CLIENT_ID = "unknown-client-id";
  static final String UNREGISTERED = "unregistered";
  static final String CAPACITY = "capacity";

  private final String reason;

  Refusal(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
