package io.gridline.mqtt;

/** Why the bridge turned down a CONNECT, a PUBLISH or a subscription; {@link #reason} is the metrics label. */
final class Refusal extends RuntimeException {
  static final String ACL = "acl";
  static final String PAYLOAD_TOO_LARGE = "payload-too-large";
  static final String RATE = "rate";
  /** Kafka has too many bytes or records of this node waiting for its acknowledgement. */
  static final String SERVER_BUSY = "server-busy";
  static final String SUBSCRIBE_RATE = "subscribe-rate";
  static final String SUBSCRIPTION_QUOTA = "subscription-quota";
  static final String CONNECT_RATE = "connect-rate";
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
