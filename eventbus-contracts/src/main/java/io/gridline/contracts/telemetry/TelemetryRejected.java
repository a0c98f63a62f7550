package io.gridline.contracts.telemetry;

/**
 * An undecodable input, as written to Kafka {@link io.gridline.contracts.Topics#TELEMETRY_DLQ} (key = the MAC) and the
 * {@code telemetry_dlq} table. JSON value: {@code {"tenantId" (may be null),"reason","detail","topic","payload" (base64),
 * "receivedAt"}}.
 *
 * @param reason one of {@link Reasons}
 */
public record TelemetryRejected(String tenantId, String mac, String reason, String detail, String topic, byte[] payload,
    long receivedAt) {

  /** The reasons, as they appear in the DLQ and in metrics. */
  public static final class Reasons {
    public static final String INVALID_JSON = "invalid-json";
    public static final String BAD_HEX = "bad-hex";
    public static final String SHORT_PAYLOAD = "short-payload";
    public static final String UNKNOWN_DEVICE = "unknown-device";
    public static final String UNKNOWN_MODE = "unknown-mode";
    public static final String MISSING_TIMESTAMP = "missing-timestamp";
    public static final String BAD_TIMESTAMP = "bad-timestamp";

    private Reasons() {}
  }
}
