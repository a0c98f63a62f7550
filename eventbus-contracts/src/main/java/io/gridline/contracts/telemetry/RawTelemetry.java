package io.gridline.contracts.telemetry;

/**
 * One accepted device publish, as written to Kafka {@link io.gridline.contracts.Topics#TELEMETRY_RAW} (key = the MAC).
 * JSON value: {@code {"tenantId","deviceId","mac","topic","clientId","qos","payload" (base64),"receivedAt" (RFC 3339)}},
 * header {@code schema: 1}.
 *
 * @param payload    the publish payload bytes as received
 * @param receivedAt epoch milliseconds when the bridge accepted the publish
 */
public record RawTelemetry(String tenantId, long deviceId, String mac, String topic, String clientId, int qos,
    byte[] payload, long receivedAt) {}
