package io.gridline.contracts.events;

import io.vertx.core.json.JsonObject;

/**
 * The device event envelope on Kafka {@link io.gridline.contracts.Topics#EVENTS} (key = registry device id) and in
 * webhooks: {@code {eventId, type, tenantId, deviceId, deviceKind, occurredAt (RFC 3339), data}}. The eventId is
 * derived from the event's cause (UUIDv5), so a cause processed twice yields the same eventId.
 */
public record DeviceEvent(String eventId, String type, String tenantId, long deviceId, String deviceKind,
    long occurredAt, JsonObject data) {

  /** Event types. */
  public static final class Types {
    public static final String DEVICE_ONLINE = "device.online";
    public static final String DEVICE_OFFLINE = "device.offline";
    public static final String TELEMETRY_DECODED = "telemetry.decoded";
    public static final String LORAWAN_UPLINK = "lorawan.uplink";
    public static final String LORAWAN_JOIN = "lorawan.join";
    public static final String LORAWAN_ACK = "lorawan.ack";
    public static final String COMMAND_SENT = "command.sent";
    public static final String COMMAND_COMPLETED = "command.completed";
    public static final String COMMAND_FAILED = "command.failed";

    private Types() {}
  }
}
