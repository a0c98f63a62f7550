package io.gridline.processor;

import io.gridline.runtime.telemetry.DeadLetters;
import io.gridline.runtime.telemetry.Rejection;
import io.gridline.runtime.telemetry.SensorField;
import io.gridline.runtime.telemetry.PayloadDecoder;
import io.gridline.runtime.telemetry.SensorModelCatalog;
import io.gridline.runtime.telemetry.DatapointIndex;
import io.gridline.codecs.KafkaCodecs;
import io.gridline.codecs.KafkaRecords;
import io.gridline.codecs.Rfc3339;
import io.gridline.contracts.Topics;
import io.gridline.contracts.events.DeviceEvent;
import io.gridline.contracts.telemetry.DecodedTelemetry;
import io.gridline.contracts.telemetry.RawTelemetry;
import io.gridline.contracts.telemetry.TelemetryRejected;
import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import io.gridline.runtime.LogThrottle;
import io.gridline.runtime.UntrustedText;
import io.gridline.runtime.device.DeviceDirectory;
import io.gridline.runtime.device.EventIds;
import io.gridline.runtime.device.ExternalIds;
import io.gridline.runtime.device.RegisteredDevice;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journey of one raw telemetry record, top to bottom. Each step fills the {@link TelemetryContext} or throws a
 * {@link Rejection}, which sends the record to the {@link DeadLetters} instead. The returned future succeeds once
 * every output is acknowledged by Kafka (and the DLQ row written): only then may the record's offset be committed.
 */
final class TelemetryHandler {
  private static final Logger log = LoggerFactory.getLogger(TelemetryHandler.class);
  /** Devices choose what gets rejected and how often: their lines share a budget. */
  private static final LogThrottle rejections = new LogThrottle(log, 20);
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
   *
   * <p>Warm records run straight through on the caller's stack: the caches answer with values ({@code known(…)}), not
   * futures. Only a cache miss goes asynchronous, and only from that step on. (A future completed on the verticle's
   * context but composed from a Kafka record's duplicated context dispatches its listener through the event-loop
   * queue: a chain of such steps made every record wait its turn several times, and the partition behind it.)
   */
  Future<Void> handle(TelemetryContext ctx) {
    return guarded(ctx, () -> {
      readRecord(ctx);
      String mac = canonicalMac(ctx);
      Optional<RegisteredDevice> device = devices.known(ExternalIds.MQTT, mac, ctx.now);
      if (device == null) {
        return devices.lookup(ExternalIds.MQTT, mac).compose(found -> guarded(ctx, () -> withDevice(ctx, mac, found)));
      }
      return withDevice(ctx, mac, device);
    });
  }

  /** Runs a step; a {@link Rejection} it throws sends the record to the dead letters instead. */
  private Future<Void> guarded(TelemetryContext ctx, Supplier<Future<Void>> step) {
    try {
      return step.get();
    } catch (Rejection r) {
      return reject(ctx, r);
    }
  }

  private void readRecord(TelemetryContext ctx) {
    try {
      ctx.raw = KafkaCodecs.RAW_TELEMETRY.decode(ctx.record.value());
    } catch (IllegalArgumentException e) {
      throw new Rejection(Reasons.INVALID_JSON, "record is not a RawTelemetry value: " + e.getMessage());
    }
  }

  private String canonicalMac(TelemetryContext ctx) {
    try {
      return ExternalIds.mac(ctx.raw.mac());
    } catch (RuntimeException e) {
      throw new Rejection(Reasons.UNKNOWN_DEVICE, "record's mac is not a MAC address: " + ctx.raw.mac());
    }
  }

  private Future<Void> withDevice(TelemetryContext ctx, String mac, Optional<RegisteredDevice> found) {
    ctx.device = found.orElseThrow(() -> new Rejection(Reasons.UNKNOWN_DEVICE, "no mqtt device " + mac));
    ctx.model = SensorModelCatalog.modelOf(ctx.device);
    ctx.topic = TelemetryTopic.parse(ctx.raw.topic());
    ctx.payload = TelemetryPayload.parse(ctx.raw.payload(), ctx.now);
    List<SensorField> fields = models.known(ctx.model, ctx.topic.mode());
    if (fields == null) {
      return models.fields(ctx.model, ctx.topic.mode()).compose(f -> guarded(ctx, () -> withFields(ctx, f)));
    }
    return withFields(ctx, fields);
  }

  private Future<Void> withFields(TelemetryContext ctx, List<SensorField> fields) {
    if (fields.isEmpty()) {
      throw new Rejection(Reasons.UNKNOWN_MODE, "model " + ctx.model + " has no mode " + ctx.topic.mode());
    }
    ctx.fields = fields;
    ctx.readings = PayloadDecoder.decode(ctx.payload.data(), ctx.fields);
    int n = ctx.readings.size();
    String[] labels = new String[n];
    int[] ids = new int[n];
    List<Integer> missing = null;
    for (int i = 0; i < n; i++) {
      labels[i] = ctx.topic.label(ctx.readings.get(i).field().field());
      Integer id = datapoints.known(labels[i]);
      if (id != null) {
        ids[i] = id;
      } else {
        (missing == null ? missing = new ArrayList<>() : missing).add(i);
      }
    }
    if (missing == null) {
      return withDatapoints(ctx, labels, ids);
    }
    List<Future<Integer>> lookups = new ArrayList<>(missing.size());
    for (int i : missing) {
      lookups.add(datapoints.idOf(labels[i], ctx.readings.get(i).field().unit()));
    }
    List<Integer> which = missing;
    return Future.all(lookups).compose(all -> guarded(ctx, () -> {
      for (int k = 0; k < which.size(); k++) {
        ids[which.get(k)] = all.<Integer>resultAt(k);
      }
      return withDatapoints(ctx, labels, ids);
    }));
  }

  private Future<Void> withDatapoints(TelemetryContext ctx, String[] labels, int[] ids) {
    List<DecodedTelemetry.Value> values = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      values.add(new DecodedTelemetry.Value(ids[i], labels[i], ctx.readings.get(i).value()));
    }
    ctx.decoded = new DecodedTelemetry(ctx.device.tenantId(), ctx.device.id(), ctx.payload.timestamp(), values);
    return sendDecodedAndEvent(ctx);
  }

  private Future<Void> sendDecodedAndEvent(TelemetryContext ctx) {
    String key = String.valueOf(ctx.device.id());
    Future<?> sent = producer.send(KafkaRecords.of(Topics.TELEMETRY_DECODED, key, KafkaCodecs.DECODED_TELEMETRY, ctx.decoded))
        .onSuccess(m -> decodedCounter.increment());
    if (!throttle.tryAcquire(ctx.device.id(), ctx.now)) {
      ctx.acked = sent.mapEmpty();
      return Future.succeededFuture();
    }
    Future<?> evented = producer.send(KafkaRecords.of(Topics.EVENTS, key, KafkaCodecs.DEVICE_EVENT, decodedEvent(ctx)))
        .onSuccess(m -> eventCounter.increment());
    ctx.acked = Future.all(sent, evented).mapEmpty();
    return Future.succeededFuture();
  }

  private DeviceEvent decodedEvent(TelemetryContext ctx) {
    String type = DeviceEvent.Types.TELEMETRY_DECODED;
    String id = EventIds.fromRecord(ctx.record.topic(), ctx.record.partition(), ctx.record.offset(), type).toString();
    JsonArray values = new JsonArray();
    ctx.decoded.values().forEach(v -> values.add(new JsonObject().put("label", v.label()).put("value", v.value())));
    JsonObject data = new JsonObject().put("timestamp", Rfc3339.format(ctx.decoded.timestamp())).put("values", values);
    return new DeviceEvent(id, type, ctx.device.tenantId(), ctx.device.id(), ExternalIds.MQTT,
        ctx.decoded.timestamp(), data);
  }

  private Future<Void> reject(TelemetryContext ctx, Rejection r) {
    String tenant = ctx.device != null ? ctx.device.tenantId() : null;
    RawTelemetry raw = ctx.raw;
    byte[] payload = raw != null ? raw.payload() : ctx.record.value().getBytes();
    long receivedAt = raw != null ? raw.receivedAt() : ctx.record.timestamp();
    String mac = raw != null ? raw.mac() : ctx.record.key();
    rejections.info("rejected {} from device {} (tenant {}): {} — {}", ctx.where(), UntrustedText.forLog(mac), tenant,
        r.reason(), UntrustedText.forLog(r.detail()));
    ctx.acked = deadLetters.reject(new TelemetryRejected(tenant, mac, r.reason(), r.detail(),
        raw != null ? raw.topic() : null, payload, receivedAt));
    return Future.succeededFuture();
  }
}
