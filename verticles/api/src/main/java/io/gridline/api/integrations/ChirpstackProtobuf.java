package io.gridline.api.integrations;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.gridline.api.http.Problem;
import io.gridline.contracts.lorawan.IntegrationEvent.Types;
import io.gridline.proto.chirpstack.AckEvent;
import io.gridline.proto.chirpstack.DeviceInfo;
import io.gridline.proto.chirpstack.JoinEvent;
import io.gridline.proto.chirpstack.LogEvent;
import io.gridline.proto.chirpstack.StatusEvent;
import io.gridline.proto.chirpstack.TxAckEvent;
import io.gridline.proto.chirpstack.UplinkEvent;
import io.gridline.proto.chirpstack.UplinkRxInfo;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;

/**
 * ChirpStack v4 events in protobuf (its HTTP integration's protobuf marshaler, {@code application/octet-stream}),
 * read with the {@code proto} module's schema and written as the JSON form {@link ChirpstackEvent#v4} reads — so both
 * encodings go through one check. Names as ChirpStack's JSON marshaler writes them (camelCase, bytes base64);
 * proto3 defaults are written too (protobuf cannot tell them from absent).
 */
final class ChirpstackProtobuf {
  private ChirpstackProtobuf() {}

  static Future<JsonObject> toJson(String event, Buffer body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    try {
      return Future.succeededFuture(switch (event) {
        case Types.UP -> up(UplinkEvent.parseFrom(bytes));
        case Types.JOIN -> {
          JoinEvent e = JoinEvent.parseFrom(bytes);
          yield common(e.getDeduplicationId(), e.hasTime() ? e.getTime() : null, e.getDeviceInfo())
              .put("devAddr", e.getDevAddr());
        }
        case Types.STATUS -> {
          StatusEvent e = StatusEvent.parseFrom(bytes);
          yield common(e.getDeduplicationId(), e.hasTime() ? e.getTime() : null, e.getDeviceInfo())
              .put("margin", e.getMargin()).put("externalPowerSource", e.getExternalPowerSource())
              .put("batteryLevelUnavailable", e.getBatteryLevelUnavailable())
              .put("batteryLevel", (double) e.getBatteryLevel());
        }
        case Types.ACK -> {
          AckEvent e = AckEvent.parseFrom(bytes);
          yield common(e.getDeduplicationId(), e.hasTime() ? e.getTime() : null, e.getDeviceInfo())
              .put("queueItemId", e.getQueueItemId()).put("acknowledged", e.getAcknowledged())
              .put("fCntDown", Integer.toUnsignedLong(e.getFCntDown()));
        }
        case Types.TXACK -> {
          TxAckEvent e = TxAckEvent.parseFrom(bytes);
          yield common(null, e.hasTime() ? e.getTime() : null, e.getDeviceInfo())
              .put("downlinkId", Integer.toUnsignedLong(e.getDownlinkId())).put("queueItemId", e.getQueueItemId())
              .put("fCntDown", Integer.toUnsignedLong(e.getFCntDown())).put("gatewayId", e.getGatewayId());
        }
        case Types.LOG -> {
          LogEvent e = LogEvent.parseFrom(bytes);
          JsonObject context = new JsonObject();
          e.getContextMap().forEach(context::put);
          yield common(null, e.hasTime() ? e.getTime() : null, e.getDeviceInfo())
              .put("level", e.getLevel().name()).put("code", e.getCode().name())
              .put("description", e.getDescription()).put("context", context);
        }
        default -> throw new IllegalArgumentException(event);
      });
    } catch (InvalidProtocolBufferException e) {
      return Future.failedFuture(Problem.invalid("body", "is not a ChirpStack " + event + " event in protobuf: "
          + e.getMessage()));
    }
  }

  private static JsonObject up(UplinkEvent e) {
    JsonArray rx = new JsonArray();
    for (UplinkRxInfo r : e.getRxInfoList()) {
      rx.add(new JsonObject().put("gatewayId", r.getGatewayId()).put("uplinkId", Integer.toUnsignedLong(r.getUplinkId()))
          .put("rssi", r.getRssi()).put("snr", (double) r.getSnr()).put("channel", r.getChannel())
          .put("context", Base64.getEncoder().encodeToString(r.getContext().toByteArray())));
    }
    return common(e.getDeduplicationId(), e.hasTime() ? e.getTime() : null, e.getDeviceInfo())
        .put("devAddr", e.getDevAddr()).put("adr", e.getAdr()).put("dr", e.getDr())
        .put("fCnt", Integer.toUnsignedLong(e.getFCnt())).put("fPort", e.getFPort()).put("confirmed", e.getConfirmed())
        .put("data", Base64.getEncoder().encodeToString(e.getData().toByteArray()))
        .put("object", e.hasObject() ? struct(e.getObject()) : null).put("rxInfo", rx);
  }

  private static JsonObject common(String deduplicationId, Timestamp time, DeviceInfo device) {
    JsonObject info = new JsonObject().put("tenantId", device.getTenantId()).put("applicationId",
        device.getApplicationId()).put("deviceName", device.getDeviceName()).put("devEui", device.getDevEui());
    JsonObject out = new JsonObject().put("deviceInfo", info);
    if (deduplicationId != null) {
      out.put("deduplicationId", deduplicationId);
    }
    if (time != null) {
      out.put("time", Instant.ofEpochSecond(time.getSeconds(), time.getNanos()).toString());
    }
    return out;
  }

  private static JsonObject struct(Struct s) {
    JsonObject out = new JsonObject();
    s.getFieldsMap().forEach((k, v) -> out.put(k, value(v)));
    return out;
  }

  private static Object value(Value v) {
    return switch (v.getKindCase()) {
      case NUMBER_VALUE -> v.getNumberValue();
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case STRUCT_VALUE -> struct(v.getStructValue());
      case LIST_VALUE -> list(v.getListValue());
      default -> null;
    };
  }

  private static JsonArray list(ListValue l) {
    JsonArray out = new JsonArray();
    l.getValuesList().forEach(v -> out.add(value(v)));
    return out;
  }
}
