package io.gridline.codecs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.contracts.lorawan.IntegrationEvent;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.gridline.contracts.telemetry.TelemetryRejected;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON value codecs of the Kafka records.
 *
 * <p>The hot ones ({@link #RAW_TELEMETRY}, {@link #DECODED_TELEMETRY}) encode and decode with Jackson streaming
 * ({@link JsonStreams}) instead of going through a {@code JsonObject}: same bytes out as {@code toJson(v).toBuffer()},
 * and they read what {@code fromJson(new JsonObject(bytes))} reads (any field order, unknown fields skipped), stricter
 * only where that path would coerce nonsense (a number or object where a string belongs, a fraction or an
 * out-of-range number where an integer belongs). {@code toJson}/{@code fromJson} stay the reference.
 */
public final class KafkaCodecs {
  private KafkaCodecs() {}

  private static final SerializableString TENANT_ID = JsonStreams.name("tenantId");
  private static final SerializableString DEVICE_ID = JsonStreams.name("deviceId");
  private static final SerializableString MAC = JsonStreams.name("mac");
  private static final SerializableString TOPIC = JsonStreams.name("topic");
  private static final SerializableString CLIENT_ID = JsonStreams.name("clientId");
  private static final SerializableString QOS = JsonStreams.name("qos");
  private static final SerializableString PAYLOAD = JsonStreams.name("payload");
  private static final SerializableString RECEIVED_AT = JsonStreams.name("receivedAt");
  private static final SerializableString TIMESTAMP = JsonStreams.name("timestamp");
  private static final SerializableString VALUES = JsonStreams.name("values");
  private static final SerializableString DATAPOINT_ID = JsonStreams.name("datapointId");
  private static final SerializableString LABEL = JsonStreams.name("label");
  private static final SerializableString VALUE = JsonStreams.name("value");

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

    @Override
    public Buffer encode(RawTelemetry v) {
      byte[] payload = v.payload();
      Buffer out = Buffer.buffer(160 + (payload.length + 2) / 3 * 4 + length(v.tenantId()) + length(v.mac())
          + length(v.topic()) + length(v.clientId()));
      try (JsonGenerator g = JsonStreams.generator(out)) {
        g.writeStartObject();
        g.writeFieldName(TENANT_ID);
        g.writeString(v.tenantId());
        g.writeFieldName(DEVICE_ID);
        g.writeNumber(v.deviceId());
        g.writeFieldName(MAC);
        g.writeString(v.mac());
        g.writeFieldName(TOPIC);
        g.writeString(v.topic());
        g.writeFieldName(CLIENT_ID);
        g.writeString(v.clientId());
        g.writeFieldName(QOS);
        g.writeNumber(v.qos());
        g.writeFieldName(PAYLOAD);
        g.writeBinary(JsonStreams.BASE64, payload, 0, payload.length);
        g.writeFieldName(RECEIVED_AT);
        g.writeString(Rfc3339.format(v.receivedAt()));
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out;
    }

    @Override
    public RawTelemetry decode(Buffer bytes) {
      final String type = "RawTelemetry";
      try (JsonParser p = JsonStreams.parser(bytes)) {
        JsonStreams.startObject(p);
        String tenantId = null;
        String mac = null;
        String topic = null;
        String clientId = null;
        long deviceId = 0;
        int qos = 0;
        byte[] payload = null;
        long receivedAt = 0;
        int seen = 0; // required fields: 1 deviceId, 2 qos, 4 payload, 8 receivedAt
        String field;
        while ((field = p.nextFieldName()) != null) {
          p.nextToken();
          switch (field) {
            case "tenantId" -> tenantId = JsonStreams.string(p, type, field);
            case "deviceId" -> {
              deviceId = JsonStreams.longValue(p, type, field);
              seen |= 1;
            }
            case "mac" -> mac = JsonStreams.string(p, type, field);
            case "topic" -> topic = JsonStreams.string(p, type, field);
            case "clientId" -> clientId = JsonStreams.string(p, type, field);
            case "qos" -> {
              qos = JsonStreams.intValue(p, type, field);
              seen |= 2;
            }
            case "payload" -> {
              payload = JsonStreams.base64(p, type, field);
              seen |= 4;
            }
            case "receivedAt" -> {
              receivedAt = JsonStreams.time(p, type, field);
              seen |= 8;
            }
            default -> p.skipChildren();
          }
        }
        if (seen != 15) {
          throw JsonStreams.missing(type, missing(seen, "deviceId", "qos", "payload", "receivedAt"));
        }
        JsonStreams.endOfInput(p);
        return new RawTelemetry(tenantId, deviceId, mac, topic, clientId, qos, payload, receivedAt);
      } catch (IOException e) {
        throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
      }
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

    @Override
    public Buffer encode(DecodedTelemetry v) {
      List<DecodedTelemetry.Value> values = v.values();
      Buffer out = Buffer.buffer(100 + length(v.tenantId()) + values.size() * 80);
      try (JsonGenerator g = JsonStreams.generator(out)) {
        g.writeStartObject();
        g.writeFieldName(TENANT_ID);
        g.writeString(v.tenantId());
        g.writeFieldName(DEVICE_ID);
        g.writeNumber(v.deviceId());
        g.writeFieldName(TIMESTAMP);
        g.writeString(Rfc3339.format(v.timestamp()));
        g.writeFieldName(VALUES);
        g.writeStartArray();
        for (int i = 0, n = values.size(); i < n; i++) {
          DecodedTelemetry.Value x = values.get(i);
          g.writeStartObject();
          g.writeFieldName(DATAPOINT_ID);
          g.writeNumber(x.datapointId());
          g.writeFieldName(LABEL);
          g.writeString(x.label());
          g.writeFieldName(VALUE);
          g.writeNumber(x.value());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out;
    }

    @Override
    public DecodedTelemetry decode(Buffer bytes) {
      final String type = "DecodedTelemetry";
      try (JsonParser p = JsonStreams.parser(bytes)) {
        JsonStreams.startObject(p);
        String tenantId = null;
        long deviceId = 0;
        long timestamp = 0;
        List<DecodedTelemetry.Value> values = null;
        int seen = 0; // required fields: 1 deviceId, 2 timestamp, 4 values
        String field;
        while ((field = p.nextFieldName()) != null) {
          p.nextToken();
          switch (field) {
            case "tenantId" -> tenantId = JsonStreams.string(p, type, field);
            case "deviceId" -> {
              deviceId = JsonStreams.longValue(p, type, field);
              seen |= 1;
            }
            case "timestamp" -> {
              timestamp = JsonStreams.time(p, type, field);
              seen |= 2;
            }
            case "values" -> {
              values = readValues(p, type);
              seen |= 4;
            }
            default -> p.skipChildren();
          }
        }
        if (seen != 7) {
          throw JsonStreams.missing(type, missing(seen, "deviceId", "timestamp", "values"));
        }
        JsonStreams.endOfInput(p);
        return new DecodedTelemetry(tenantId, deviceId, timestamp, values);
      } catch (IOException e) {
        throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
      }
    }

    private List<DecodedTelemetry.Value> readValues(JsonParser p, String type) throws IOException {
      JsonToken t = p.currentToken();
      if (t != JsonToken.START_ARRAY) {
        throw t == JsonToken.VALUE_NULL ? JsonStreams.invalid(type, "values is null")
            : JsonStreams.wrongType(type, "values", t, "an array");
      }
      List<DecodedTelemetry.Value> values = new ArrayList<>(8);
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t != JsonToken.START_OBJECT) {
          throw JsonStreams.wrongType(type, "values[" + values.size() + "]", t, "an object");
        }
        String label = null;
        int datapointId = 0;
        double value = 0;
        int seen = 0; // required: 1 datapointId, 2 value
        String field;
        while ((field = p.nextFieldName()) != null) {
          p.nextToken();
          switch (field) {
            case "datapointId" -> {
              datapointId = JsonStreams.intValue(p, type, "values[].datapointId");
              seen |= 1;
            }
            case "label" -> label = JsonStreams.string(p, type, "values[].label");
            case "value" -> {
              value = JsonStreams.doubleValue(p, type, "values[].value");
              seen |= 2;
            }
            default -> p.skipChildren();
          }
        }
        if (seen != 3) {
          throw JsonStreams.missing(type, "values[" + values.size() + "]." + missing(seen, "datapointId", "value"));
        }
        values.add(new DecodedTelemetry.Value(datapointId, label, value));
      }
      return values;
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

  public static final KafkaJsonCodec<IntegrationEvent> INTEGRATION_EVENT =
      new KafkaJsonCodec<>(IntegrationEvent.class) {
        @Override
        public JsonObject toJson(IntegrationEvent v) {
          return new JsonObject().put("tenantId", v.tenantId()).put("deviceId", v.deviceId()).put("devEui", v.devEui())
              .put("source", v.source()).put("event", v.event()).put("receivedAt", Rfc3339.format(v.receivedAt()))
              .put("body", v.body());
        }

        @Override
        public IntegrationEvent fromJson(JsonObject j) {
          JsonObject body = j.getJsonObject("body");
          if (j.getString("event") == null || j.getString("devEui") == null || body == null) {
            throw new IllegalArgumentException("event, devEui and body are required");
          }
          return new IntegrationEvent(j.getString("tenantId"), j.getLong("deviceId"), j.getString("devEui"),
              j.getString("source"), j.getString("event"), Rfc3339.parse(j.getString("receivedAt")), body);
        }
      };

  private static int length(String s) {
    return s == null ? 4 : s.length();
  }

  /** The names of the required fields whose bit (1, 2, 4, ... in argument order) is not set in {@code seen}. */
  private static String missing(int seen, String... required) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < required.length; i++) {
      if ((seen & (1 << i)) == 0) {
        out.append(out.length() == 0 ? "" : ", ").append(required[i]);
      }
    }
    return out.toString();
  }

  public static List<KafkaJsonCodec<?>> all() {
    return List.of(RAW_TELEMETRY, DECODED_TELEMETRY, TELEMETRY_REJECTED, DEVICE_EVENT, INTEGRATION_EVENT);
  }
}
