package io.gridline.contracts.lorawan;

import io.vertx.core.json.JsonObject;

/**
 * An event of an external LoRaWAN network server that the api accepted (ChirpStack's HTTP integration, v4 JSON or
 * protobuf, or v3 webhooks), handed to the lorawan verticle on Kafka
 * {@link io.gridline.contracts.Topics#LORAWAN_INTEGRATION} (key = registry device id): it stores the frame, emits
 * {@code lorawan.uplink}, updates the device and decodes the payload. JSON:
 * {@code {tenantId, deviceId, devEui, source, event, receivedAt (RFC 3339), body}}.
 *
 * @param source     who sent it: {@code chirpstack}
 * @param event      {@code up}, {@code join}, {@code status}, {@code ack}, {@code txack} or {@code log}
 * @param body       the event in ChirpStack v4's JSON form (protobuf and v3 payloads are converted to it by the api):
 *                   e.g. for {@code up} {@code {deduplicationId, time, deviceInfo, devAddr, fCnt, fPort, confirmed,
 *                   data (base64), rxInfo: [{gatewayId, rssi, snr}], txInfo}}; proto3 default fields may be absent
 */
public record IntegrationEvent(String tenantId, long deviceId, String devEui, String source, String event,
    long receivedAt, JsonObject body) {

  /** The {@code event} values. */
  public static final class Types {
    public static final String UP = "up";
    public static final String JOIN = "join";
    public static final String STATUS = "status";
    public static final String ACK = "ack";
    public static final String TXACK = "txack";
    public static final String LOG = "log";

    private Types() {}
  }
}
