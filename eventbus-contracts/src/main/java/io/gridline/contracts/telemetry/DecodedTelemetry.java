package io.gridline.contracts.telemetry;

import java.util.List;

/**
 * Values decoded from one raw publish, as written to Kafka {@link io.gridline.contracts.Topics#TELEMETRY_DECODED}
 * (key = registry device id). JSON value:
 * {@code {"tenantId","deviceId","timestamp" (RFC 3339),"values":[{"datapointId","label","value"}]}}, header
 * {@code schema: 1}.
 *
 * @param timestamp the device's timestamp, epoch milliseconds (what makes a retransmission idempotent in the sink)
 */
public record DecodedTelemetry(String tenantId, long deviceId, long timestamp, List<Value> values) {
  public DecodedTelemetry {
    values = List.copyOf(values);
  }

  /** One decoded reading: {@code label} is {@code sensor-<n>.<field>}, e.g. {@code sensor-1.temperature}. */
  public record Value(int datapointId, String label, double value) {}
}
