package io.gridline.lorawan.uplink;

import io.gridline.codecs.CayenneLpp;
import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaRecords;
import io.gridline.contracts.Topics;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.TelemetryRejected;
import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import io.gridline.runtime.device.DeviceDirectory;
import io.gridline.runtime.device.ExternalIds;
import io.gridline.runtime.telemetry.DatapointIndex;
import io.gridline.runtime.telemetry.DeadLetters;
import io.gridline.runtime.telemetry.PayloadDecoder;
import io.gridline.runtime.telemetry.Rejection;
import io.gridline.runtime.telemetry.SensorField;
import io.gridline.runtime.telemetry.SensorModelCatalog;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.ArrayList;
import java.util.List;

/**
 * A LoRa device's FRMPayload as readings, so LoRa sensors land in {@code decoded_data} exactly like MQTT ones: decoded
 * by the device's payload codec ({@code lorawan_devices.payload_codec}) — {@code sensor-fields}: the rules of its
 * sensor model ({@code metadata.model}, the same {@code sensor_fields} the stream-processor uses) for mode = FPort,
 * labels {@code sensor-<FPort>.<field>}; {@code cayenne-lpp}: Cayenne LPP, labels {@code sensor-<channel>.<field>};
 * {@code none}: not decoded — then written to {@code gridline.telemetry.decoded} (key = device id) for the sink.
 * What cannot be decoded goes to the telemetry DLQ with its reason ({@code gridline_lorawan_rejected_total}).
 */
public final class UplinkTelemetry {
  private final DeviceDirectory devices;
  private final SensorModelCatalog models;
  private final DatapointIndex datapoints;
  private final DeadLetters deadLetters;
  private final KafkaProducer<String, Buffer> producer;

  public UplinkTelemetry(DeviceDirectory devices, SensorModelCatalog models, DatapointIndex datapoints,
      DeadLetters deadLetters, KafkaProducer<String, Buffer> producer) {
    this.devices = devices;
    this.models = models;
    this.datapoints = datapoints;
    this.deadLetters = deadLetters;
    this.producer = producer;
  }

  /** One reading before its datapoint id is known. */
  private record Labelled(String label, String unit, double value) {}

  /**
   * Decodes and writes; completes once Kafka acknowledged the readings or the dead letter. {@code timestamp}: when the
   * network received the frame (a LoRaWAN 1.0 frame carries no time of its own).
   */
  public Future<Void> decode(String tenantId, long deviceId, String devEui, String codec, int fPort, byte[] payload,
      long timestamp) {
    String topic = "lorawan/" + devEui + "/" + fPort;
    Future<List<Labelled>> readings = switch (codec) {
      case "none" -> Future.succeededFuture(List.of());
      case "cayenne-lpp" -> cayenne(payload);
      default -> sensorFields(devEui, fPort, payload);
    };
    return readings.compose(list -> list.isEmpty() ? Future.<Void>succeededFuture() : write(tenantId, deviceId,
            timestamp, list))
        .recover(err -> err instanceof Rejection r
            ? deadLetters.reject(new TelemetryRejected(tenantId, devEui, r.reason(), r.detail(), topic, payload,
                timestamp))
            : Future.failedFuture(err));
  }

  private static Future<List<Labelled>> cayenne(byte[] payload) {
    try {
      List<Labelled> out = new ArrayList<>();
      for (CayenneLpp.Reading r : CayenneLpp.decode(payload)) {
        out.add(new Labelled("sensor-" + r.channel() + "." + r.field(), r.unit(), r.value()));
      }
      return Future.succeededFuture(out);
    } catch (CayenneLpp.MalformedLpp e) {
      return Future.failedFuture(new Rejection(Reasons.SHORT_PAYLOAD, "not Cayenne LPP: " + e.getMessage()));
    }
  }

  private Future<List<Labelled>> sensorFields(String devEui, int fPort, byte[] payload) {
    return devices.lookup(ExternalIds.LORAWAN, devEui).compose(device -> {
      if (device.isEmpty()) {
        return Future.failedFuture(new Rejection(Reasons.UNKNOWN_DEVICE, devEui + " is not in the registry"));
      }
      String model = SensorModelCatalog.modelOf(device.get());
      return models.fields(model, fPort).map(fields -> {
        if (fields.isEmpty()) {
          throw new Rejection(Reasons.UNKNOWN_MODE, "model " + model + " has no sensor_fields for mode " + fPort
              + " (the FPort)");
        }
        List<Labelled> out = new ArrayList<>();
        for (PayloadDecoder.Reading r : PayloadDecoder.decode(payload, fields)) {
          SensorField f = r.field();
          out.add(new Labelled("sensor-" + fPort + "." + f.field(), f.unit(), r.value()));
        }
        return out;
      });
    });
  }

  private Future<Void> write(String tenantId, long deviceId, long timestamp, List<Labelled> readings) {
    List<Future<Integer>> ids = new ArrayList<>(readings.size());
    for (Labelled r : readings) {
      Integer known = datapoints.known(r.label());
      ids.add(known != null ? Future.succeededFuture(known) : datapoints.idOf(r.label(), r.unit()));
    }
    return Future.all(ids).compose(done -> {
      List<DecodedTelemetry.Value> values = new ArrayList<>(readings.size());
      for (int i = 0; i < readings.size(); i++) {
        values.add(new DecodedTelemetry.Value(ids.get(i).result(), readings.get(i).label(), readings.get(i).value()));
      }
      DecodedTelemetry decoded = new DecodedTelemetry(tenantId, deviceId, timestamp, values);
      return producer.send(KafkaRecords.of(Topics.TELEMETRY_DECODED, Long.toString(deviceId),
          KafkaCodecs.DECODED_TELEMETRY, decoded)).mapEmpty();
    });
  }
}
