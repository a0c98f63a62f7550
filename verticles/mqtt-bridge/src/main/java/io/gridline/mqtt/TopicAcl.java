package io.gridline.mqtt;

/**
 * What a device may touch (docs/architecture.md §6): it publishes under {@code stat/<clientId>/} and {@code
 * tele/<clientId>/} and
 * subscribes only under {@code cmnd/<clientId>/}. Wildcards are fine inside its own command subtree, never above it.
 */
final class TopicAcl {
  private TopicAcl() {}

  static boolean mayPublish(String clientId, String topic) {
    if (topic == null || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      return false;
    }
    return under(topic, "stat/" + clientId + "/") || under(topic, "tele/" + clientId + "/");
  }

  static boolean maySubscribe(String clientId, String filter) {
    String root = "cmnd/" + clientId;
    if (filter == null) {
      return false;
    }
    if (filter.equals(root + "/#")) {
      return true;
    }
    if (!under(filter, root + "/")) {
      return false;
    }
    // '#' only as the last level, '+' only as a whole level: anything else is an invalid filter
    String[] levels = filter.substring(root.length() + 1).split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals("#") && i != levels.length - 1) {
        return false;
      }
      if (level.length() > 1 && (level.contains("#") || level.contains("+"))) {
        return false;
      }
    }
    return true;
  }

  /** Whether an MQTT topic filter ({@code +} one level, {@code #} the rest) matches a topic. */
  static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }

  private static boolean under(String topic, String prefix) {
    return topic.startsWith(prefix) && topic.length() > prefix.length();
  }
}
