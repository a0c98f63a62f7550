package io.gridline.codecs;

import io.gridline.contracts.events.DeviceEvent;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.gridline.contracts.telemetry.TelemetryRejected;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The JSON value codecs of the Kafka records. */
public final class KafkaCodecs {
  private KafkaCodecs() {}

  public static final KafkaJsonCodec<RawTelemetry> RAW_TELEMETRY = new KafkaJsonCodec<>(RawTelemetry.class) {
    @Override
    public JsonObject toJson(RawTelemetry v) {
      return new JsonObject().put("tenantId", v.tenantId()).put("deviceId", v.deviceId()).put("mac", v.mac())
          .put("topic", v.topic()).put("clientId", v.clientId()).put("qos", v.qos())
          .put("payload", Base64.getEncoder().encodeToString(v.payload()))
          .put("receivedAt", Rfc3339.format(v.receivedAt()));
    }

    @Override
    public RawTelemetry fromJson(JsonObject j) {
      return new RawTelemetry(j.getString("tenantId"), j.getLong("deviceId"), j.getString("mac"), j.getString("topic"),
          j.getString("clientId"), j.getInteger("qos"), Base64.getDecoder().decode(j.getString("payload")),
          Rfc3339.parse(j.getString("receivedAt")));
    }
  };

  public static final KafkaJsonCodec<DecodedTelemetry> DECODED_TELEMETRY = new KafkaJsonCodec<>(DecodedTelemetry.class) {
    @Override
    public JsonObject toJson(DecodedTelemetry v) {
      JsonArray values = new JsonArray();
      v.values().forEach(x -> values.add(new JsonObject().put("datapointId", x.datapointId()).put("label", x.label())
          .put("value", x.value())));
      return new JsonObject().put("tenantId", v.tenantId()).put("deviceId", v.deviceId())
          .put("timestamp", Rfc3339.format(v.timestamp())).put("values", values);
    }

    @Override
    public DecodedTelemetry fromJson(JsonObject j) {
      List<DecodedTelemetry.Value> values = new ArrayList<>();
      for (Object o : j.getJsonArray("values")) {
        JsonObject x = (JsonObject) o;
        values.add(new DecodedTelemetry.Value(x.getInteger("datapointId"), x.getString("label"),
            x.getNumber("value").doubleValue()));
      }
      return new DecodedTelemetry(j.getString("tenantId"), j.getLong("deviceId"), Rfc3339.parse(j.getString("timestamp")),
          values);
    }
  };

  public static final KafkaJsonCodec<TelemetryRejected> TELEMETRY_REJECTED = new KafkaJsonCodec<>(TelemetryRejected.class) {
    @Override
    public JsonObject toJson(TelemetryRejected v) {
      return new JsonObject().put("tenantId", v.tenantId()).put("mac", v.mac()).put("reason", v.reason())
          .put("detail", v.detail()).put("topic", v.topic())
          .put("payload", Base64.getEncoder().encodeToString(v.payload()))
          .put("receivedAt", Rfc3339.format(v.receivedAt()));
    }

    @Override
    public TelemetryRejected fromJson(JsonObject j) {
      return new TelemetryRejected(j.getString("tenantId"), j.getString("mac"), j.getString("reason"),
          j.getString("detail"), j.getString("topic"), Base64.getDecoder().decode(j.getString("payload")),
          Rfc3339.parse(j.getString("receivedAt")));
    }
  };

  public static final KafkaJsonCodec<DeviceEvent> DEVICE_EVENT = new KafkaJsonCodec<>(DeviceEvent.class) {
    @Override
    public JsonObject toJson(DeviceEvent v) {
      return new JsonObject().put("eventId", v.eventId()).put("type", v.type()).put("tenantId", v.tenantId())
          .put("deviceId", v.deviceId()).put("deviceKind", v.deviceKind())
          .put("occurredAt", Rfc3339.format(v.occurredAt())).put("data", v.data());
    }

    @Override
    public DeviceEvent fromJson(JsonObject j) {
      return new DeviceEvent(j.getString("eventId"), j.getString("type"), j.getString("tenantId"), j.getLong("deviceId"),
          j.getString("deviceKind"), Rfc3339.parse(j.getString("occurredAt")), j.getJsonObject("data"));
    }
  };

  public static List<KafkaJsonCodec<?>> all() {
    return List.of(RAW_TELEMETRY, DECODED_TELEMETRY, TELEMETRY_REJECTED, DEVICE_EVENT);
  }
}
