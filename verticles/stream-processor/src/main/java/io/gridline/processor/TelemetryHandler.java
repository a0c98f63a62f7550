package io.gridline.processor;

import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaJsonCodec;
import io.gridline.codecs.Rfc3339;
import io.gridline.contracts.Topics;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.gridline.contracts.telemetry.TelemetryRejected;
import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import io.gridline.runtime.ExternalIds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journey of one raw telemetry record, top to bottom. Each step fills the {@link TelemetryContext} or throws a
 * {@link Rejection}, which sends the record to the {@link DeadLetters} instead. The returned future succeeds once
 * every output is acknowledged by Kafka (and the DLQ row written): only then may the record's offset be committed.
 */
final class TelemetryHandler {
  private static final Logger log = LoggerFactory.getLogger(TelemetryHandler.class);
  private final DeviceDirectory devices;
  private final SensorModelCatalog models;
  private final DatapointIndex datapoints;
  private final EventThrottle throttle;
  private final DeadLetters deadLetters;
  private final KafkaProducer<String, Buffer> producer;
  private final Counter decodedCounter;
  private final Counter eventCounter;

  TelemetryHandler(DeviceDirectory devices, SensorModelCatalog models, DatapointIndex datapoints, EventThrottle throttle,
      DeadLetters deadLetters, KafkaProducer<String, Buffer> producer, MeterRegistry meters) {
    this.devices = devices;
    this.models = models;
    this.datapoints = datapoints;
    this.throttle = throttle;
    this.deadLetters = deadLetters;
    this.producer = producer;
    this.decodedCounter = Counter.builder("gridline.processor.decoded")
        .description("raw telemetry records decoded").register(meters);
    this.eventCounter = Counter.builder("gridline.processor.events")
        .description("telemetry.decoded events emitted (after rate limiting)").register(meters);
  }

  /**
   * Runs the steps and issues the outputs; succeeds when they are handed to the producer (in this record's order), and
   * leaves in {@link TelemetryContext#acked} the future of their acknowledgement.
   */
  Future<Void> handle(TelemetryContext ctx) {
    return Future.succeededFuture(ctx)
        .compose(this::readRecord)
        .compose(this::findDevice)
        .compose(this::mapTopic)
        .compose(this::parsePayload)
        .compose(this::findFields)
        .compose(this::decodeFields)
        .compose(this::resolveDatapoints)
        .compose(this::sendDecodedAndEvent)
        .recover(err -> err instanceof Rejection r ? reject(ctx, r) : Future.failedFuture(err));
  }

  private Future<TelemetryContext> readRecord(TelemetryContext ctx) {
    try {
      ctx.raw = KafkaCodecs.RAW_TELEMETRY.decode(ctx.record.value());
    } catch (IllegalArgumentException e) {
      throw new Rejection(Reasons.INVALID_JSON, "record is not a RawTelemetry value: " + e.getMessage());
    }
    return Future.succeededFuture(ctx);
  }

  private Future<TelemetryContext> findDevice(TelemetryContext ctx) {
    String mac;
    try {
      mac = ExternalIds.mac(ctx.raw.mac());
    } catch (RuntimeException e) {
      throw new Rejection(Reasons.UNKNOWN_DEVICE, "record's mac is not a MAC address: " + ctx.raw.mac());
    }
    return devices.byMac(mac).map(found -> {
      ctx.device = found.orElseThrow(() -> new Rejection(Reasons.UNKNOWN_DEVICE, "no mqtt device " + mac));
      return ctx;
    });
  }

  private Future<TelemetryContext> mapTopic(TelemetryContext ctx) {
    ctx.topic = TelemetryTopic.parse(ctx.raw.topic());
    return Future.succeededFuture(ctx);
  }

  private Future<TelemetryContext> parsePayload(TelemetryContext ctx) {
    ctx.payload = TelemetryPayload.parse(ctx.raw.payload(), ctx.now);
    return Future.succeededFuture(ctx);
  }

  private Future<TelemetryContext> findFields(TelemetryContext ctx) {
    return models.fields(ctx.device.model(), ctx.topic.mode()).map(fields -> {
      if (fields.isEmpty()) {
        throw new Rejection(Reasons.UNKNOWN_MODE, "model " + ctx.device.model() + " has no mode " + ctx.topic.mode());
      }
      ctx.fields = fields;
      return ctx;
    });
  }

  private Future<TelemetryContext> decodeFields(TelemetryContext ctx) {
    ctx.readings = PayloadDecoder.decode(ctx.payload.data(), ctx.fields);
    return Future.succeededFuture(ctx);
  }

  private Future<TelemetryContext> resolveDatapoints(TelemetryContext ctx) {
    List<Future<Integer>> ids = new ArrayList<>(ctx.readings.size());
    for (PayloadDecoder.Reading r : ctx.readings) {
      ids.add(datapoints.idOf(ctx.topic.label(r.field().field()), r.field().unit()));
    }
    return Future.all(ids).map(all -> {
      List<DecodedTelemetry.Value> values = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        PayloadDecoder.Reading r = ctx.readings.get(i);
        values.add(new DecodedTelemetry.Value(all.resultAt(i), ctx.topic.label(r.field().field()), r.value()));
      }
      ctx.decoded = new DecodedTelemetry(ctx.device.tenantId(), ctx.device.deviceId(), ctx.payload.timestamp(), values);
      return ctx;
    });
  }

  private Future<Void> sendDecodedAndEvent(TelemetryContext ctx) {
    String key = String.valueOf(ctx.device.deviceId());
    KafkaProducerRecord<String, Buffer> decoded = KafkaProducerRecord.create(Topics.TELEMETRY_DECODED, key,
        KafkaCodecs.DECODED_TELEMETRY.encode(ctx.decoded));
    decoded.addHeader(KafkaJsonCodec.SCHEMA_HEADER, KafkaCodecs.DECODED_TELEMETRY.schemaVersion());
    Future<?> sent = producer.send(decoded).onSuccess(m -> decodedCounter.increment());
    if (!throttle.tryAcquire(ctx.device.deviceId(), ctx.now)) {
      ctx.acked = sent.mapEmpty();
      return Future.succeededFuture();
    }
    KafkaProducerRecord<String, Buffer> event = KafkaProducerRecord.create(Topics.EVENTS, key,
        KafkaCodecs.DEVICE_EVENT.encode(decodedEvent(ctx)));
    event.addHeader(KafkaJsonCodec.SCHEMA_HEADER, KafkaCodecs.DEVICE_EVENT.schemaVersion());
    Future<?> evented = producer.send(event).onSuccess(m -> eventCounter.increment());
    ctx.acked = Future.all(sent, evented).mapEmpty();
    return Future.succeededFuture();
  }

  private DeviceEvent decodedEvent(TelemetryContext ctx) {
    String type = DeviceEvent.Types.TELEMETRY_DECODED;
    String id = EventIds.fromRecord(ctx.record.topic(), ctx.record.partition(), ctx.record.offset(), type).toString();
    JsonArray values = new JsonArray();
    ctx.decoded.values().forEach(v -> values.add(new JsonObject().put("label", v.label()).put("value", v.value())));
    JsonObject data = new JsonObject().put("timestamp", Rfc3339.format(ctx.decoded.timestamp())).put("values", values);
    return new DeviceEvent(id, type, ctx.device.tenantId(), ctx.device.deviceId(), ExternalIds.MQTT,
        ctx.decoded.timestamp(), data);
  }

  private Future<Void> reject(TelemetryContext ctx, Rejection r) {
    String tenant = ctx.device != null ? ctx.device.tenantId() : null;
    RawTelemetry raw = ctx.raw;
    byte[] payload = raw != null ? raw.payload() : ctx.record.value().getBytes();
    long receivedAt = raw != null ? raw.receivedAt() : ctx.record.timestamp();
    String mac = raw != null ? raw.mac() : ctx.record.key();
    log.info("rejected {} from device {} (tenant {}): {} — {}", ctx.where(), mac, tenant, r.reason(), r.detail());
    ctx.acked = deadLetters.reject(new TelemetryRejected(tenant, mac, r.reason(), r.detail(),
        raw != null ? raw.topic() : null, payload, receivedAt));
    return Future.succeededFuture();
  }
}
