package io.gridline.processor;

import io.gridline.runtime.telemetry.Rejection;
import io.gridline.contracts.telemetry.TelemetryRejected.Reasons;
import io.gridline.runtime.device.ExternalIds;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a controller's MQTT topic says: {@code stat|tele/f2-<mac>/sensor-mode/<mode>/sensor-<n>}. */
record TelemetryTopic(String mac, int mode, int sensor) {
  static final int MAX_SENSOR = 16;
  private static final Pattern TOPIC =
      Pattern.compile("(?:stat|tele)/f2-(\\p{XDigit}{12})/sensor-mode/([0-9]{1,3})/sensor-([0-9]{1,2})");

  /** @throws Rejection ({@code unknown-mode}) when the topic does not name a mode and sensor this pipeline decodes */
  static TelemetryTopic parse(String topic) {
    Matcher m = topic == null ? null : TOPIC.matcher(topic);
    if (m == null || !m.matches()) {
      throw new Rejection(Reasons.UNKNOWN_MODE, "topic is not stat|tele/f2-<mac>/sensor-mode/<m>/sensor-<n>: " + topic);
    }
    int mode = Integer.parseInt(m.group(2));
    int sensor = Integer.parseInt(m.group(3));
    if (mode > 255) {
      throw new Rejection(Reasons.UNKNOWN_MODE, "mode " + mode + " is out of range 0..255");
    }
    if (sensor < 1 || sensor > MAX_SENSOR) {
      throw new Rejection(Reasons.UNKNOWN_MODE, "sensor " + sensor + " is out of range 1.." + MAX_SENSOR);
    }
    return new TelemetryTopic(ExternalIds.mac(m.group(1)), mode, sensor);
  }

  /** The datapoint label of one field read from this sensor, e.g. {@code sensor-1.temperature}. */
  String label(String field) {
    return "sensor-" + sensor + "." + field;
  }
}
