package io.gridline.api.devices;

import io.gridline.api.http.Validation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/devices/{id}/commands}: a topic suffix under {@code cmnd/f2-<mac>/}, a payload as
 * text (UTF-8) or base64 ({@code "encoding": "base64"}), and a QoS (default 1).
 */
record CommandInput(String topic, byte[] payload, int qos) {
  static final int MAX_TOPIC = 200;
  private static final Set<String> FIELDS = Set.of("topic", "payload", "encoding", "qos");

  static Future<CommandInput> from(JsonObject body) {
    Validation v = Validation.of(body, FIELDS, Set.of());
    String topic = v.text("topic", true, MAX_TOPIC);
    if (topic != null) {
      String why = topicProblem(topic);
      if (why != null) {
        v.reject("topic", why);
        topic = null;
      }
    }
    String encoding = v.present("encoding") ? v.oneOf("encoding", List.of("utf-8", "base64")) : "utf-8";
    byte[] payload = new byte[0];
    Object raw = body.getValue("payload");
    if (raw != null && !(raw instanceof String)) {
      v.reject("payload", "must be a string");
    } else if (raw != null && "base64".equals(encoding)) {
      try {
        payload = Base64.getDecoder().decode((String) raw);
      } catch (IllegalArgumentException e) {
        v.reject("payload", "is not valid base64");
      }
    } else if (raw != null) {
      payload = ((String) raw).getBytes(StandardCharsets.UTF_8);
    }
    Integer qos = v.present("qos") ? v.integer("qos", 0, 2) : Integer.valueOf(1);
    String t = topic;
    byte[] p = payload;
    return v.result(() -> new CommandInput(t, p, qos));
  }

  /** Why a suffix is not a concrete topic under the device's command root, or null when it is one. */
  private static String topicProblem(String suffix) {
    if (suffix.indexOf('+') >= 0 || suffix.indexOf('#') >= 0) {
      return "must not contain the wildcards + or #";
    }
    if (suffix.indexOf('\u0000') >= 0) {
      return "must not contain NUL";
    }
    for (String level : suffix.split("/", -1)) {
      if (level.isEmpty()) {
        return "must not have empty levels (a leading, trailing or double /)";
      }
    }
    return null;
  }
}
