package io.gridline.contracts;

import java.util.List;

/** Kafka topic names. Data that must not be lost travels on these (docs/architecture.md §1, §4). */
public final class Topics {
  /** Raw device publishes, keyed by the device's external id (the MAC). */
  public static final String TELEMETRY_RAW = "gridline.telemetry.raw";
  /** Decoded values, keyed by registry device id. */
  public static final String TELEMETRY_DECODED = "gridline.telemetry.decoded";
  /** Undecodable telemetry with its reason. */
  public static final String TELEMETRY_DLQ = "gridline.telemetry.dlq";
  /** Device event envelopes, keyed by registry device id. */
  public static final String EVENTS = "gridline.events";
  /**
   * Telemetry records (raw or decoded) that could not be completed: a deterministic database error, or a failure that
   * outlasted the bounded attempts. The original key and value, with {@link ParkedHeaders} saying where from and why.
   */
  public static final String TELEMETRY_PARKED = "gridline.telemetry.parked";
  /** Device events the webhooks feed could not store, parked the same way. */
  public static final String EVENTS_PARKED = "gridline.events.parked";

  /**
   * Events of an external LoRaWAN network server (ChirpStack's HTTP integration) the api accepted, keyed by registry
   * device id, for the lorawan verticle to store and decode: data, so it goes through Kafka before the api answers.
   */
  public static final String LORAWAN_INTEGRATION = "gridline.lorawan.integration";
  /** Integration events the lorawan verticle could not apply (malformed, or a write that kept failing), parked. */
  public static final String LORAWAN_INTEGRATION_PARKED = "gridline.lorawan.integration.parked";

  public static final List<String> ALL = List.of(TELEMETRY_RAW, TELEMETRY_DECODED, TELEMETRY_DLQ, EVENTS,
      TELEMETRY_PARKED, EVENTS_PARKED, LORAWAN_INTEGRATION, LORAWAN_INTEGRATION_PARKED);

  private Topics() {}
}
