package io.gridline.contracts.telemetry;

/** Event-bus addresses of the telemetry metadata. */
public final class TelemetryAddresses {
  /** Published after sensor model rows changed (body: the model name as a string); processors reload their catalog. */
  public static final String SENSOR_MODEL_CHANGED = "gridline.telemetry.sensor-model.changed";

  private TelemetryAddresses() {}
}
